// OTLP metrics → Prometheus series, following Prometheus' OTLP translator: names sanitised with
// unit and `_total` suffixes, attributes → labels, job/instance from service.* resource
// attributes, other resource attributes on `target_info`, histograms as classic
// `_bucket{le}`/`_sum`/`_count`. Delta sums and histograms become cumulative counters by
// accumulating per series in memory (a restart shows as a counter reset, which rate() handles).
import { InputError } from '@sreworks/kernel';
import { STALE_NAN, type Labels } from '@sreworks/promql';
import { seriesKey } from '../labels.js';
import { SeriesBuilder, type MetricMetadata, type MetricType, type SeriesSamples } from '../types.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpMetricsRequest } from './otlp-types.js';

const UNITS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes', KBy: 'kilobytes', MBy: 'megabytes',
  GBy: 'gigabytes', TBy: 'terabytes', m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};
const PER_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/** Prometheus metric name for an OTLP metric (otlptranslator's normalised name with suffixes). */
export function promMetricName(name: string, unit: string | undefined, kind: 'counter' | 'gauge' | 'other'): string {
  const tokens = name.split(/[^a-zA-Z0-9:]+/).filter(Boolean);
  let u = (unit ?? '').replace(/\{[^}]*\}/g, '').trim();
  if (u) {
    const [main, per] = u.split('/', 2);
    const mainName = main ? (UNITS[main] ?? (main === '1' ? '' : main)) : '';
    const unitTokens = mainName ? mainName.split(/[^a-zA-Z0-9]+/).filter(Boolean) : [];
    for (const t of unitTokens) if (!tokens.includes(t)) tokens.push(t);
    if (per) {
      const perName = PER_UNITS[per] ?? per;
      const pt = ['per', ...perName.split(/[^a-zA-Z0-9]+/).filter(Boolean)];
      if (!tokens.slice(-pt.length).every((t, i) => t === pt[i]) || tokens.length < pt.length) tokens.push(...pt);
    }
    u = main ?? '';
  }
  if (kind === 'counter') {
    const i = tokens.indexOf('total');
    if (i >= 0) tokens.splice(i, 1);
    tokens.push('total');
  }
  if (kind === 'gauge' && u === '1' && !tokens.includes('ratio')) tokens.push('ratio');
  let out = tokens.join('_');
  if (/^[0-9]/.test(out)) out = '_' + out;
  return out;
}

/** Prometheus label name for an attribute key. */
export function promLabelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(out)) out = 'key_' + out;
  else if (out.startsWith('_') && !out.startsWith('__')) out = 'key' + out;
  return out;
}

function anyToString(v: OtlpAnyValue | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return JSON.stringify((v.arrayValue.values ?? []).map(anyToString));
  if (v.kvlistValue) return JSON.stringify(Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, anyToString(kv.value)])));
  return '';
}

function attrs(kvs: OtlpKeyValue[] | undefined, into: Labels): Labels {
  for (const kv of kvs ?? []) {
    const name = promLabelName(kv.key);
    const v = anyToString(kv.value);
    // two keys that sanitise to one label are joined with ';' as Prometheus does
    into[name] = into[name] !== undefined && into[name] !== '' ? `${into[name]};${v}` : v;
  }
  return into;
}

function nanosToMs(v: string | number | undefined, field: string): number {
  if (v === undefined || v === '' || v === 0 || v === '0') return 0;
  if (typeof v === 'number') return Math.floor(v / 1e6);
  if (!/^[0-9]+$/.test(v)) throw new InputError(`${field} must be an unsigned integer of nanoseconds`, { field }, 'TELEMETRY_OTLP_TIME');
  return Number(BigInt(v) / 1_000_000n);
}

function num(v: string | number | undefined): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : Number(v);
}

export interface OtlpTranslation {
  series: SeriesSamples[];
  metadata: MetricMetadata[];
  /** data points that could not be translated (e.g. exponential histograms). */
  rejected: number;
  messages: string[];
}

interface DeltaState {
  startMs: number;
  total: number;
}

export class OtlpMetricsTranslator {
  private readonly delta = new Map<string, DeltaState>();
  constructor(private readonly nowMs: () => number = Date.now) {}

  translate(req: OtlpMetricsRequest): OtlpTranslation {
    if (typeof req !== 'object' || req === null || (req.resourceMetrics !== undefined && !Array.isArray(req.resourceMetrics))) {
      throw new InputError('body.resourceMetrics must be an array', { field: 'body.resourceMetrics' }, 'TELEMETRY_OTLP_INVALID');
    }
    const bySeries = new Map<string, SeriesBuilder>();
    const metadata = new Map<string, MetricMetadata>();
    const out: OtlpTranslation = { series: [], metadata: [], rejected: 0, messages: [] };
    const push = (labels: Labels, t: number, v: number) => {
      const k = seriesKey(labels);
      let s = bySeries.get(k);
      if (!s) bySeries.set(k, (s = new SeriesBuilder(labels)));
      s.push(t, v);
    };
    (req.resourceMetrics ?? []).forEach((rm, ri) => {
      const res: Record<string, string> = {};
      for (const kv of rm.resource?.attributes ?? []) res[kv.key] = anyToString(kv.value);
      const base: Labels = {};
      const svc = res['service.name'];
      const ns = res['service.namespace'];
      if (svc) base.job = ns ? `${ns}/${svc}` : svc;
      if (res['service.instance.id']) base.instance = res['service.instance.id'];
      let latest = 0;
      (rm.scopeMetrics ?? []).forEach((sm, si) => {
        const scope: Labels = {};
        if (sm.scope?.name) scope.otel_scope_name = sm.scope.name;
        if (sm.scope?.version) scope.otel_scope_version = sm.scope.version;
        (sm.metrics ?? []).forEach((m, mi) => {
          const field = `body.resourceMetrics[${ri}].scopeMetrics[${si}].metrics[${mi}]`;
          if (typeof m.name !== 'string' || !m.name) throw new InputError('metric name is missing', { field: `${field}.name` }, 'TELEMETRY_OTLP_INVALID');
          const pointLabels = (a: OtlpKeyValue[] | undefined): Labels => ({ ...attrs(a, {}), ...scope, ...base });
          const meta = (name: string, type: MetricType) => metadata.set(name, { metric: name, type, help: m.description ?? '', unit: m.unit ?? '' });
          if (m.gauge || m.sum) {
            const monotonic = !!m.sum?.isMonotonic;
            const isDelta = m.sum?.aggregationTemporality === 1;
            const name = promMetricName(m.name, m.unit, monotonic ? 'counter' : 'gauge');
            meta(name, monotonic ? 'counter' : 'gauge');
            for (const p of (m.gauge ?? m.sum)!.dataPoints ?? []) {
              const t = nanosToMs(p.timeUnixNano, `${field}.dataPoints.timeUnixNano`);
              latest = Math.max(latest, t);
              const labels = { ...pointLabels(p.attributes), __name__: name };
              let v = (p.flags ?? 0) & 1 ? STALE_NAN : p.asDouble !== undefined ? num(p.asDouble as number) : num(p.asInt);
              if (isDelta && !Number.isNaN(v)) v = this.accumulate(labels, nanosToMs(p.startTimeUnixNano, `${field}.startTimeUnixNano`), v);
              push(labels, t || this.nowMs(), v);
            }
          } else if (m.histogram) {
            const name = promMetricName(m.name, m.unit, 'other');
            meta(name, 'histogram');
            const isDelta = m.histogram.aggregationTemporality === 1;
            for (const p of m.histogram.dataPoints ?? []) {
              const t = nanosToMs(p.timeUnixNano, `${field}.dataPoints.timeUnixNano`) || this.nowMs();
              latest = Math.max(latest, t);
              const lbl = pointLabels(p.attributes);
              const stale = ((p.flags ?? 0) & 1) !== 0;
              const start = nanosToMs(p.startTimeUnixNano, `${field}.startTimeUnixNano`);
              const acc = (labels: Labels, v: number) => (stale ? STALE_NAN : isDelta ? this.accumulate(labels, start, v) : v);
              const bounds = p.explicitBounds ?? [];
              const counts = (p.bucketCounts ?? []).map(num);
              if (counts.length && counts.length !== bounds.length + 1) {
                throw new InputError('bucketCounts must have one more entry than explicitBounds', { field: `${field}.histogram.dataPoints.bucketCounts` }, 'TELEMETRY_OTLP_INVALID');
              }
              let cum = 0;
              for (let i = 0; i < bounds.length; i++) {
                cum += counts[i] ?? 0;
                const l = { ...lbl, __name__: `${name}_bucket`, le: formatLe(bounds[i]!) };
                push(l, t, acc(l, cum));
              }
              const inf = { ...lbl, __name__: `${name}_bucket`, le: '+Inf' };
              push(inf, t, acc(inf, num(p.count)));
              if (p.sum !== undefined) {
                const l = { ...lbl, __name__: `${name}_sum` };
                push(l, t, acc(l, p.sum));
              }
              const lc = { ...lbl, __name__: `${name}_count` };
              push(lc, t, acc(lc, num(p.count)));
            }
          } else if (m.summary) {
            const name = promMetricName(m.name, m.unit, 'other');
            meta(name, 'summary');
            for (const p of m.summary.dataPoints ?? []) {
              const t = nanosToMs(p.timeUnixNano, `${field}.dataPoints.timeUnixNano`) || this.nowMs();
              latest = Math.max(latest, t);
              const lbl = pointLabels(p.attributes);
              for (const q of p.quantileValues ?? []) push({ ...lbl, __name__: name, quantile: formatLe(q.quantile ?? 0) }, t, q.value ?? 0);
              if (p.sum !== undefined) push({ ...lbl, __name__: `${name}_sum` }, t, p.sum);
              push({ ...lbl, __name__: `${name}_count` }, t, num(p.count));
            }
          } else if (m.exponentialHistogram) {
            out.rejected += m.exponentialHistogram.dataPoints?.length ?? 0;
            out.messages.push(`exponential histogram ${m.name} is not supported (native histograms are not stored)`);
          }
        });
      });
      const extra = Object.keys(res).filter((k) => k !== 'service.name' && k !== 'service.namespace' && k !== 'service.instance.id');
      if (extra.length && (base.job || base.instance) && latest) {
        const l: Labels = { __name__: 'target_info', ...base };
        for (const k of extra) l[promLabelName(k)] = res[k]!;
        push(l, latest, 1);
      }
    });
    out.series = [...bySeries.values()].map((b) => b.finish());
    out.metadata = [...metadata.values()];
    return out;
  }

  private accumulate(labels: Labels, startMs: number, v: number): number {
    const k = seriesKey(labels);
    const s = this.delta.get(k);
    if (!s || (startMs && startMs < s.startMs)) {
      this.delta.set(k, { startMs, total: v });
      return v;
    }
    s.total += v;
    s.startMs = startMs;
    return s.total;
  }
}

/** `le`/`quantile` label values as Prometheus formats floats. */
export function formatLe(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
