import { describe, it, expect } from 'vitest';
import { diffRows, diffStats, diffText, splitPairs, withGaps } from './diff.js';

describe('diff model', () => {
  it('numbers old and new lines', () => {
    const rows = diffRows('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows).toEqual([
      { kind: 'same', oldNo: 1, newNo: 1, text: 'a' },
      { kind: 'del', oldNo: 2, text: 'b' },
      { kind: 'add', newNo: 2, text: 'B' },
      { kind: 'same', oldNo: 3, newNo: 3, text: 'c' },
      { kind: 'add', newNo: 4, text: 'd' },
    ]);
    expect(diffStats(rows)).toEqual({ added: 2, removed: 1 });
  });

  it('ignores key order of objects', () => {
    expect(diffText({ b: 1, a: 2 }, 'yaml')).toBe(diffText({ a: 2, b: 1 }, 'yaml'));
    expect(diffStats(diffRows(diffText({ b: 1, a: 2 }, 'json'), diffText({ a: 2, b: 1 }, 'json')))).toEqual({ added: 0, removed: 0 });
  });

  it('collapses long unchanged runs and expands them on request', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const b = a.replace('l10', 'L10');
    const rows = diffRows(a, b);
    const items = withGaps(rows, 2);
    const gaps = items.filter((x) => x.kind === 'gap');
    expect(gaps).toEqual([{ kind: 'gap', count: 8, start: 0 }, { kind: 'gap', count: 7, start: 12 }]);
    expect(withGaps(rows, 2, new Set([0, 12])).filter((x) => x.kind === 'gap')).toHaveLength(0);
    const pairs = splitPairs(items);
    expect(pairs.find((p) => Array.isArray(p) && p[0]?.kind === 'del')).toEqual([
      { kind: 'del', oldNo: 11, text: 'l10' },
      { kind: 'add', newNo: 11, text: 'L10' },
    ]);
  });
});
