import { describe, it, expect } from 'vitest';
import { rankRootCauses, rcaAccuracy, splitColumn, metricScore } from '../src/index.js';
import { loadSockShop } from './fixtures.js';

describe('rca', () => {
  it('splits columns at the first underscore', () => {
    expect(splitColumn('carts-db_mem')).toEqual({ service: 'carts-db', metric: 'mem' });
    expect(splitColumn('carts_lat_90')).toEqual({ service: 'carts', metric: 'lat_90' });
  });
  it('scores deviations with NSigma and BARO', () => {
    expect(metricScore([1, 2, 3, 4, 5], [13], 'baro')).toBeCloseTo(5, 6); // (13 − 3) / IQR 2
    expect(metricScore([1, 1, 1], [1], 'nsigma')).toBe(0);
  });
  it('uses changes, log anomalies and topology as evidence', () => {
    const normal = { a_cpu: [1, 1.1, 0.9, 1], b_cpu: [1, 1.1, 0.9, 1], c_lat: [5, 5.2, 4.8, 5] };
    const anomalous = { a_cpu: [1.5], b_cpu: [1.5], c_lat: [5] };
    expect(rankRootCauses({ normal, anomalous, changes: ['b'] })[0]!.service).toBe('b');
    expect(rankRootCauses({ normal, anomalous, logAnomalies: { a: 1 } })[0]!.service).toBe('a');
    // a depends on b, both equally anomalous: a is damped as the likely victim
    expect(rankRootCauses({ normal, anomalous, dependsOn: { a: ['b'] } })[0]!.service).toBe('b');
  });
  it('reaches AC@1 >= 0.9 and Avg@5 >= 0.98 on the Sock Shop fault cases', () => {
    const cases = loadSockShop();
    expect(cases.length).toBe(30);
    const res = cases.map((c) => ({ truth: c.truth, ranked: rankRootCauses(c).map((r) => r.service) }));
    const a = rcaAccuracy(res);
    expect(a.ac[0]).toBeGreaterThanOrEqual(0.9);
    expect(a.avg).toBeGreaterThanOrEqual(0.98);
  });
});
