// Test helpers: a small PromQL engine that evaluates bare series selectors and
// rate(selector[range]) the way Prometheus does, enough to drive the HTTP API until the real
// engine (packages/promql) is wired in by the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { fastify, type FastifyInstance } from 'fastify';
import { InputError } from '@sreworks/kernel';
import type { Labels, PromQLEngine, PromValue, Queryable, QueryResult, SeriesData } from '@sreworks/promql';
import { isStaleNaN } from '@sreworks/promql';
import { parseSelector } from '../src/metrics/params.js';
import { parseDuration } from '../src/metrics/params.js';

const LOOKBACK = 300_000;

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Prometheus' extrapolated rate over [t-range, t] (promql/functions.go extrapolatedRate). */
export function extrapolatedRate(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, rangeStart: number, rangeEnd: number): number | undefined {
  if (hi - lo < 2) return undefined;
  let resets = 0;
  for (let i = lo + 1; i < hi; i++) if (vs[i]! < vs[i - 1]!) resets += vs[i - 1]!;
  const first = vs[lo]!;
  const last = vs[hi - 1]!;
  let delta = last - first + resets;
  const sampledInterval = (ts[hi - 1]! - ts[lo]!) / 1000;
  const avg = sampledInterval / (hi - lo - 1);
  let toStart = (ts[lo]! - rangeStart) / 1000;
  const toEnd = (rangeEnd - ts[hi - 1]!) / 1000;
  if (delta > 0 && first >= 0) {
    const toZero = sampledInterval * (first / delta);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = avg * 1.1;
  let ext = sampledInterval;
  ext += toStart < threshold ? toStart : avg / 2;
  ext += toEnd < threshold ? toEnd : avg / 2;
  delta = delta * (ext / sampledInterval);
  return delta / ((rangeEnd - rangeStart) / 1000);
}

export function fakeEngine(): PromQLEngine & { calls: string[] } {
  const calls: string[] = [];
  const evalAt = (series: SeriesData[], rate: { rangeMs: number } | undefined, t: number): { metric: Labels; v: number }[] => {
    const out: { metric: Labels; v: number }[] = [];
    for (const s of series) {
      if (rate) {
        let lo = 0;
        while (lo < s.timestamps.length && s.timestamps[lo]! <= t - rate.rangeMs) lo++;
        let hi = lo;
        while (hi < s.timestamps.length && s.timestamps[hi]! <= t) hi++;
        const r = extrapolatedRate(s.timestamps, s.values, lo, hi, t - rate.rangeMs, t);
        if (r === undefined) continue;
        const { __name__: _drop, ...rest } = s.labels;
        out.push({ metric: rest, v: r });
      } else {
        let idx = -1;
        for (let i = 0; i < s.timestamps.length; i++) if (s.timestamps[i]! <= t) idx = i;
        if (idx < 0 || s.timestamps[idx]! <= t - LOOKBACK || isStaleNaN(s.values[idx]!)) continue;
        out.push({ metric: s.labels, v: s.values[idx]! });
      }
    }
    return out;
  };
  const parse = (expr: string) => {
    const m = /^rate\((.*)\[(\w+)\]\)$/.exec(expr.trim());
    if (m) return { sel: parseSelector(m[1]!, 'query'), rate: { rangeMs: parseDuration(m[2]!, 'query') } };
    try {
      return { sel: parseSelector(expr, 'query'), rate: undefined };
    } catch (e) {
      throw new InputError(`1:1: parse error: ${(e as Error).message}`, { field: 'query' }, 'PROMQL_PARSE');
    }
  };
  return {
    calls,
    async instantQuery(q: Queryable, expr: string, timeMs: number) {
      calls.push(`instant ${expr}`);
      const { sel, rate } = parse(expr);
      const back = rate ? rate.rangeMs : LOOKBACK;
      const series = await q.select(sel, timeMs - back, timeMs, rate ? { rangeMs: rate.rangeMs, func: 'rate' } : {});
      const data: QueryResult = { resultType: 'vector', result: evalAt(series, rate, timeMs).map((r) => ({ metric: r.metric, value: [timeMs / 1000, fmt(r.v)] as PromValue })) };
      return { data, warnings: [] };
    },
    async rangeQuery(q: Queryable, expr: string, startMs: number, endMs: number, stepMs: number) {
      calls.push(`range ${expr}`);
      const { sel, rate } = parse(expr);
      const back = rate ? rate.rangeMs : LOOKBACK;
      const series = await q.select(sel, startMs - back, endMs, { stepMs, ...(rate ? { rangeMs: rate.rangeMs, func: 'rate' } : {}) });
      const bySeries = new Map<string, { metric: Labels; values: PromValue[] }>();
      for (let t = startMs; t <= endMs; t += stepMs) {
        for (const r of evalAt(series, rate, t)) {
          const k = JSON.stringify(r.metric);
          let e = bySeries.get(k);
          if (!e) bySeries.set(k, (e = { metric: r.metric, values: [] }));
          e.values.push([t / 1000, fmt(r.v)]);
        }
      }
      return { data: { resultType: 'matrix', result: [...bySeries.values()] } as QueryResult, warnings: [] };
    },
  };
}

export function tempDir(prefix = 'sw-metrics-'): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A Fastify configured like the server (apps/server core/validation.ts): bodies validated
 * strictly (no coercion, unknown fields refused), querystrings coerced.
 */
export function serverLikeFastify(): FastifyInstance {
  const app = fastify();
  const strict = new Ajv({ removeAdditional: false, useDefaults: true, allErrors: true, strict: false, coerceTypes: false });
  const coercing = new Ajv({ removeAdditional: false, useDefaults: true, allErrors: true, strict: false, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
  return app;
}
