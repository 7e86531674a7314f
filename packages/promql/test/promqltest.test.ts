// Runs every promqltest script in testdata/ (one vitest case per eval).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandValues, loadTestScript, parseSeriesDesc } from '../src/testing.js';
import { STALE_NAN } from '../src/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata');
const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();

describe('promqltest runner', () => {
  it('expands series values', () => {
    expect(expandValues('1 _ 0+10x2 5-1x1 _x2 stale Inf')).toEqual([1, undefined, 0, 10, 20, 5, 4, undefined, undefined, STALE_NAN, Infinity]);
    expect(expandValues('3x2')).toEqual([3, 3, 3]);
  });

  it('parses series descriptions', () => {
    expect(parseSeriesDesc('x{a="b", c="d,e"} 1 2')).toEqual([{ __name__: 'x', a: 'b', c: 'd,e' }, ' 1 2']);
    expect(parseSeriesDesc('{a="b"} 3')).toEqual([{ a: 'b' }, ' 3']);
  });

  it('reports a wrong expectation (the runner can fail)', async () => {
    const [c] = loadTestScript('load 1m\n  x 1 2\n\neval instant at 1m x\n  x 3\n');
    await expect(c!.run()).rejects.toThrow(/expected 3, got 2/);
    const [d] = loadTestScript('load 1m\n  x 1\n\neval instant at 0 x\n  x 1\n  y 1\n');
    await expect(d!.run()).rejects.toThrow(/missing series/);
    const [e] = loadTestScript('eval_fail instant at 0 vector(1)\n');
    await expect(e!.run()).rejects.toThrow(/expected an error/);
  });
});

for (const f of files) {
  describe(`testdata/${f}`, () => {
    const cases = loadTestScript(readFileSync(join(dir, f), 'utf8'));
    it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    // the cases share one store and run in file order (vitest runs a file's tests sequentially)
    for (const c of cases) it(`line ${c.line}: ${c.expr}`, () => c.run());
  });
}
