// Root-cause ranking of an app's services from metrics around a fault, after CloudRCA's evidence
// sources (KPI anomalies, log-pattern anomalies, topology) plus recent changes, with the two
// strong simple baselines of RCAEval (Pham et al., ASE'24) as scorers:
//  - NSigma: per metric, the largest |x − mean| / σ in the fault window, σ from normal data;
//  - BARO: the same with median and inter-quartile range (robust to outliers in normal data).
// Metric columns are named `<service>_<metric>` (service = text before the first '_').

import { median } from './dsp.js';

export type RcaMethod = 'nsigma' | 'baro' | 'combined';

export interface RcaInput {
  /** column name → values in the normal period */
  normal: Record<string, readonly number[]>;
  /** column name → values in the fault window */
  anomalous: Record<string, readonly number[]>;
  /** the app's topology: service → services it depends on (calls) */
  dependsOn?: Record<string, readonly string[]>;
  /** services changed (deployed, reconfigured) shortly before the fault */
  changes?: readonly string[];
  /** per service, a log anomaly score in [0, 1] (e.g. share of new/rare log patterns) */
  logAnomalies?: Record<string, number>;
}

export interface RcaOptions {
  method?: RcaMethod;
  /** weight on a resource metric (cpu, mem, disk, …) against latency/load symptoms. */
  resourceWeight?: number;
  changeBoost?: number;
  logWeight?: number;
  /** the deviation scale is at least this share of the metric's normal level (default 0.01 for 'combined', 0 for the baselines). */
  minRelativeScale?: number;
}

export interface RcaRanking {
  service: string;
  score: number;
  /** the metric that shows it most */
  metric: string;
}

const RESOURCE = /^(cpu|mem|memory|disk|io|net|fd|gc|threads?)/i;

export function splitColumn(col: string): { service: string; metric: string } {
  const i = col.indexOf('_');
  return i <= 0 ? { service: col, metric: 'value' } : { service: col.slice(0, i), metric: col.slice(i + 1) };
}

function finite(xs: readonly number[]): number[] {
  return xs.filter((v) => Number.isFinite(v));
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Anomaly score of one metric: the largest standardised deviation in the fault window. */
export function metricScore(normal: readonly number[], anomalous: readonly number[], method: 'nsigma' | 'baro', minRelativeScale = 0): number {
  const n = finite(normal);
  const a = finite(anomalous);
  if (n.length < 2 || a.length === 0) return 0;
  let center: number;
  let scale: number;
  if (method === 'nsigma') {
    center = n.reduce((p, v) => p + v, 0) / n.length;
    scale = Math.sqrt(n.reduce((p, v) => p + (v - center) ** 2, 0) / (n.length - 1));
  } else {
    const s = n.slice().sort((x, y) => x - y);
    center = median(s);
    scale = quantile(s, 0.75) - quantile(s, 0.25);
  }
  // as scikit-learn's scalers (used by the published baselines): a zero scale becomes 1
  if (!(scale > 0)) scale = 1;
  // a change smaller than a share of the metric's level is not evidence, however flat the
  // normal period was (memory of idle databases moves by a few pages)
  if (minRelativeScale > 0) scale = Math.max(scale, Math.abs(center) * minRelativeScale);
  let best = 0;
  for (const v of a) best = Math.max(best, Math.abs(v - center) / scale);
  return best;
}

/** Ranks the services, most likely root cause first. */
export function rankRootCauses(input: RcaInput, options: RcaOptions = {}): RcaRanking[] {
  const method = options.method ?? 'combined';
  const base = method === 'nsigma' ? 'nsigma' : 'baro';
  const resourceWeight = options.resourceWeight ?? 2;
  const changeBoost = options.changeBoost ?? 1;
  const logWeight = options.logWeight ?? 1;
  const per = new Map<string, { score: number; metric: string }>();
  for (const col of Object.keys(input.anomalous)) {
    if (col === 'time' || col === 'timestamp') continue;
    const normal = input.normal[col];
    if (!normal) continue;
    const { service, metric } = splitColumn(col);
    let s = metricScore(normal, input.anomalous[col]!, base, options.minRelativeScale ?? (method === 'combined' ? 0.01 : 0));
    // a saturated resource on a service is a cause; latency and load move along call chains
    if (method === 'combined' && RESOURCE.test(metric)) s *= resourceWeight;
    const cur = per.get(service);
    if (!cur || s > cur.score) per.set(service, { score: s, metric });
  }
  if (method === 'combined') {
    for (const svc of input.changes ?? []) {
      const cur = per.get(svc);
      if (cur) cur.score *= 1 + changeBoost;
      else per.set(svc, { score: 0, metric: 'change' });
    }
    const max = Math.max(1e-9, ...[...per.values()].map((v) => v.score));
    for (const [svc, v] of Object.entries(input.logAnomalies ?? {})) {
      const cur = per.get(svc) ?? { score: 0, metric: 'logs' };
      cur.score += logWeight * Math.max(0, Math.min(1, v)) * max;
      per.set(svc, cur);
    }
    // topology: a service whose anomaly is no larger than that of a service it depends on is
    // more likely a victim than a cause; damp it
    if (input.dependsOn) {
      const snapshot = new Map([...per.entries()].map(([k, v]) => [k, v.score]));
      for (const [svc, deps] of Object.entries(input.dependsOn)) {
        const own = snapshot.get(svc);
        if (own === undefined) continue;
        const worst = Math.max(0, ...deps.map((d) => snapshot.get(d) ?? 0));
        if (worst > 0 && worst >= own) per.get(svc)!.score = own * 0.5;
      }
    }
  }
  return [...per.entries()]
    .map(([service, v]) => ({ service, score: v.score, metric: v.metric }))
    .sort((a, b) => b.score - a.score || a.service.localeCompare(b.service));
}

/** AC@k (share of cases with the true service in the top k) and Avg@k = mean of AC@1..AC@k. */
export function rcaAccuracy(rankings: readonly { truth: string; ranked: readonly string[] }[], kMax = 5): { ac: number[]; avg: number } {
  const ac: number[] = [];
  for (let k = 1; k <= kMax; k++) {
    const hit = rankings.filter((r) => r.ranked.slice(0, k).includes(r.truth)).length;
    ac.push(rankings.length ? hit / rankings.length : 0);
  }
  return { ac, avg: ac.reduce((p, v) => p + v, 0) / (ac.length || 1) };
}
