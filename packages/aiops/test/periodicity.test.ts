import { describe, it, expect } from 'vitest';
import { detectPeriods, fillGaps, forecast, hpFilter, modwt, fisherPValue } from '../src/index.js';
import { loadCran55 } from './fixtures.js';

function rng(seed: number) {
  return () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
}

describe('building blocks', () => {
  it('HP filter keeps a linear trend and MODWT puts a period-12 sine in level 3', () => {
    const y = Array.from({ length: 200 }, (_, i) => 3 + 0.5 * i);
    const t = hpFilter(y, 1e8);
    expect(t[100]).toBeCloseTo(53, 3);
    const x = Array.from({ length: 256 }, (_, i) => Math.sin((2 * Math.PI * i) / 12));
    const energy = modwt(x, 5).details.map((d) => d.reduce((a, b) => a + b * b, 0));
    expect(energy.indexOf(Math.max(...energy))).toBe(2);
    expect(fisherPValue(0.5, 100)).toBeLessThan(1e-20);
    expect(fisherPValue(0.02, 100)).toBeGreaterThan(0.5);
  });
  it('interpolates gaps', () => {
    expect(fillGaps([NaN, 1, NaN, 3, NaN])).toEqual([1, 1, 2, 3, 3]);
    expect(fillGaps([NaN, NaN])).toEqual([]);
  });
});

describe('detectPeriods', () => {
  it("finds the paper's toy periods {10, 20, 50, 100} despite noise and a spike", () => {
    const r = rng(7);
    const x = Array.from({ length: 1000 }, (_, t) => {
      const g = Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
      const tri = 2 * Math.abs((t % 10) / 10 - 0.5) * 2 - 1;
      return Math.sin((2 * Math.PI * t) / 20) + Math.sin((2 * Math.PI * t) / 50) + Math.sin((2 * Math.PI * t) / 100) + tri + 0.1 * g;
    });
    x[500] = x[500]! + 10;
    for (const periodogram of ['ls', 'huber'] as const) {
      const got = detectPeriods(x, { periodogram }).map((d) => d.period);
      for (const p of [10, 20, 50, 100]) expect(got.some((g) => Math.abs(g - p) <= 0.02 * p)).toBe(true);
      expect(got[0]).toBe(100);
    }
  });
  it('returns nothing for short, constant or empty input', () => {
    expect(detectPeriods([1, 2, 3])).toEqual([]);
    expect(detectPeriods(Array(100).fill(5))).toEqual([]);
    expect(detectPeriods([NaN, NaN])).toEqual([]);
  });
  it('reaches >= 0.8 accuracy (±20 %) on the CRAN-55 season lengths', () => {
    const cases = loadCran55();
    expect(cases.length).toBe(55);
    let ok = 0;
    for (const c of cases) {
      const top = detectPeriods(c.values)[0]?.period;
      if (top !== undefined && Math.abs(top - c.truth[0]!) <= 0.2 * c.truth[0]!) ok++;
    }
    expect(ok / cases.length).toBeGreaterThanOrEqual(0.8);
  });
});

describe('forecast', () => {
  it('follows a seasonal series and widens its intervals with the horizon', () => {
    const x = Array.from({ length: 120 }, (_, i) => 100 + i + 10 * Math.sin((2 * Math.PI * i) / 12));
    const f = forecast(x, 24);
    expect(f.period).toBe(12);
    for (let h = 0; h < 24; h++) {
      const truth = 100 + (120 + h) + 10 * Math.sin((2 * Math.PI * (120 + h)) / 12);
      expect(Math.abs(f.mean[h]! - truth)).toBeLessThan(5);
    }
    expect(f.upper[23]! - f.lower[23]!).toBeGreaterThanOrEqual(f.upper[0]! - f.lower[0]!);
  });
  it('works without a season and rejects bad horizons', () => {
    const f = forecast([1, 2, 3, 4, 5, 6], 3, { period: 0 });
    expect(f.period).toBe(0);
    expect(f.mean[0]).toBeGreaterThan(5);
    expect(() => forecast([1, 2], 0)).toThrow(/horizon/);
  });
});
