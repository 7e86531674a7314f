import { describe, it, expect } from 'vitest';
import { formatBytes, formatDuration, formatValue, statusOf, toDate } from './format.js';

describe('format', () => {
  it('maps status words to badge states', () => {
    expect(statusOf('Running')).toBe('success');
    expect(statusOf('CrashLoopBackOff')).toBe('error');
    expect(statusOf('in progress')).toBe('processing');
    expect(statusOf('whatever')).toBe('default');
    expect(statusOf('whatever', { whatever: 'warning' })).toBe('warning');
  });
  it('formats bytes, durations and percents', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(3_723_000)).toBe('1h 2m');
    expect(formatValue(0.1234, 'percent')).toBe('12.3%');
  });
  it('reads epoch seconds, milliseconds and ISO strings', () => {
    expect(toDate(1_700_000_000)?.getTime()).toBe(1_700_000_000_000);
    expect(toDate(1_700_000_000_000)?.getTime()).toBe(1_700_000_000_000);
    expect(toDate('2024-01-01T00:00:00Z')?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(toDate('nope')).toBeUndefined();
  });
});
