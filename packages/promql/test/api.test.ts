import { describe, expect, it } from 'vitest';
import { MemoryQueryable, createEngine, parsePromDuration, parsePromTime, promErrorResponse } from '../src/index.js';

describe('Prometheus API helpers', () => {
  it('parses times and durations as the Prometheus API does', () => {
    expect(parsePromTime('1700000000.123')).toBe(1_700_000_000_123);
    expect(parsePromTime('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000);
    expect(parsePromTime('2023-11-14T23:13:20.5+01:00')).toBe(1_700_000_000_500);
    expect(() => parsePromTime('yesterday', 'start')).toThrow('invalid parameter "start": cannot parse "yesterday" to a valid timestamp');
    expect(parsePromDuration('15')).toBe(15_000);
    expect(parsePromDuration('0.5')).toBe(500);
    expect(parsePromDuration('1m30s')).toBe(90_000);
    expect(() => parsePromDuration('fast')).toThrow('invalid parameter "step": cannot parse "fast" to a valid duration');
  });

  it('maps errors to status codes and bodies', async () => {
    const engine = createEngine();
    const m = new MemoryQueryable();
    const parseErr = await engine.instantQuery(m, 'sum(', 0).catch((e: unknown) => e);
    expect(promErrorResponse(parseErr)).toEqual({
      httpStatus: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis' },
    });
    m.add({ __name__: 'a', x: '1' }, 0, 1);
    m.add({ __name__: 'a', x: '2' }, 0, 1);
    m.add({ __name__: 'b' }, 0, 1);
    const execErr = await engine.instantQuery(m, 'a + on() b', 0).catch((e: unknown) => e);
    expect(promErrorResponse(execErr).httpStatus).toBe(422);
    expect(promErrorResponse(execErr).body.errorType).toBe('execution');
    expect(promErrorResponse(new Error('boom')).httpStatus).toBe(500);
  });
});
