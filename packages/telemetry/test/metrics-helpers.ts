// Test helpers: a small PromQL engine that evaluates bare series selectors and
// rate(selector[range]) the way Prometheus does, enough to drive the HTTP API until the real
// engine (packages/promql) is wired in by the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { fastify, type FastifyInstance } from 'fastify';
import { InputError } from '@sreworks/kernel';
import type { PromQLEngine, PromValue, Queryable, QueryResult, SeriesData } from '@sreworks/promql';
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
  /** one output point per series per evaluation time, with cursors that only move forward. */
  const evaluate = (series: SeriesData[], rate: { rangeMs: number } | undefined, times: number[]) => {
    return series.map((s) => {
      const ts = s.timestamps;
      const vs = s.values;
      const out: [number, number][] = [];
      let lo = 0;
      let hi = 0;
      for (const t of times) {
        while (hi < ts.length && ts[hi]! <= t) hi++;
        if (rate) {
          // Prometheus 2.x selects [t - range, t], both ends included
          while (lo < hi && ts[lo]! < t - rate.rangeMs) lo++;
          const r = extrapolatedRate(ts, vs, lo, hi, t - rate.rangeMs, t);
          if (r !== undefined) out.push([t, r]);
        } else {
          const idx = hi - 1;
          if (idx < 0 || ts[idx]! <= t - LOOKBACK || isStaleNaN(vs[idx]!)) continue;
          out.push([t, vs[idx]!]);
        }
      }
      let metric = s.labels;
      if (rate) {
        const { __name__: _drop, ...rest } = s.labels;
        metric = rest;
      }
      return { metric, points: out };
    });
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
      const result = evaluate(series, rate, [timeMs])
        .filter((r) => r.points.length)
        .map((r) => ({ metric: r.metric, value: [timeMs / 1000, fmt(r.points[0]![1])] as PromValue }));
      return { data: { resultType: 'vector', result } as QueryResult, warnings: [] };
    },
    async rangeQuery(q: Queryable, expr: string, startMs: number, endMs: number, stepMs: number) {
      calls.push(`range ${expr}`);
      const { sel, rate } = parse(expr);
      const back = rate ? rate.rangeMs : LOOKBACK;
      const series = await q.select(sel, startMs - back, endMs, { stepMs, ...(rate ? { rangeMs: rate.rangeMs, func: 'rate' } : {}) });
      const times: number[] = [];
      for (let t = startMs; t <= endMs; t += stepMs) times.push(t);
      const result = evaluate(series, rate, times)
        .filter((r) => r.points.length)
        .map((r) => ({ metric: r.metric, values: r.points.map(([t, v]) => [t / 1000, fmt(v)] as PromValue) }));
      return { data: { resultType: 'matrix', result } as QueryResult, warnings: [] };
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
