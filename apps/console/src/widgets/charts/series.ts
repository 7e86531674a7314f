// Data → series conversion shared by every chart widget. Pure (no echarts, no React) so it is
// cheap to test and the same rules hold for all charts.
import { getPath, isRecord } from '../common/props.js';
import { toDate } from '../common/format.js';

export type XType = 'time' | 'value' | 'category';
export type Point = [x: number | string, y: number | null];

export interface Series {
  name: string;
  labels?: Record<string, string>;
  points: Point[];
}

export interface SeriesSet {
  xType: XType;
  series: Series[];
}

export interface SeriesOptions {
  dataPath?: string;
  xField?: string;
  /** one field, or several (one series per field). */
  yField?: string | string[];
  seriesField?: string;
  /** Grafana-style legend for Prometheus series: "{{instance}} ({{job}})". */
  legendFormat?: string;
}

interface PromSample {
  metric?: Record<string, string>;
  values?: [number | string, string][];
  value?: [number | string, string];
}

/** A Prometheus value string ("1.5", "NaN", "+Inf") as a plottable number; gaps are null. */
export function promValue(v: unknown): number | null {
  const n = typeof v === 'number' ? v : parseFloat(String(v));
  return Number.isFinite(n) ? n : null;
}

export function seriesName(labels: Record<string, string> | undefined, legendFormat?: string): string {
  const l = labels ?? {};
  if (legendFormat) return legendFormat.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, k: string) => l[k] ?? '');
  const { __name__: name, ...rest } = l;
  const pairs = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  if (!pairs.length) return name ?? '{}';
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

/** The Prometheus result inside a raw API answer ({status, data:{resultType, result}}) or as is. */
export function promResult(data: unknown): { resultType: string; result: unknown } | undefined {
  if (!isRecord(data)) return undefined;
  if (typeof data.resultType === 'string' && 'result' in data) return data as { resultType: string; result: unknown };
  if (isRecord(data.data)) return promResult(data.data);
  return undefined;
}

function fromProm(res: { resultType: string; result: unknown }, o: SeriesOptions): SeriesSet {
  const list = Array.isArray(res.result) ? (res.result as PromSample[]) : [];
  if (res.resultType === 'matrix') {
    return {
      xType: 'time',
      series: list.map((s) => ({
        name: seriesName(s.metric, o.legendFormat),
        labels: s.metric ?? {},
        // Prometheus timestamps are float seconds.
        points: (s.values ?? []).map(([t, v]) => [Math.round(Number(t) * 1000), promValue(v)] as Point),
      })),
    };
  }
  if (res.resultType === 'vector') {
    // An instant vector is one value per series: plot series names as categories.
    return {
      xType: 'category',
      series: [{ name: 'value', points: list.map((s) => [seriesName(s.metric, o.legendFormat), promValue(s.value?.[1])] as Point) }],
    };
  }
  if (res.resultType === 'scalar' && Array.isArray(res.result)) {
    const [t, v] = res.result as [number, string];
    return { xType: 'time', series: [{ name: 'scalar', points: [[Math.round(Number(t) * 1000), promValue(v)]] }] };
  }
  return { xType: 'category', series: [] };
}

function detectX(values: unknown[]): XType {
  const sample = values.filter((v) => v !== undefined && v !== null).slice(0, 20);
  if (!sample.length) return 'category';
  if (sample.every((v) => typeof v === 'number')) return (sample as number[]).every((n) => n > 1e9) ? 'time' : 'value';
  if (sample.every((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v))) return 'time';
  return 'category';
}

function xValue(v: unknown, xType: XType): number | string {
  if (xType === 'time') return toDate(v)?.getTime() ?? String(v);
  if (xType === 'value') return Number(v);
  return String(v ?? '');
}

/**
 * Chart data in any of the accepted shapes: a Prometheus query result (matrix, vector, scalar;
 * bare or inside the API envelope), rows [{x, y, series}] with configurable fields, a list of
 * ready series [{name, data:[[x,y]]}], or a plain array of numbers.
 */
export function toSeries(data: unknown, o: SeriesOptions = {}): SeriesSet {
  const raw = o.dataPath ? getPath(data, o.dataPath) : data;
  const prom = promResult(raw);
  if (prom) return fromProm(prom, o);
  let rows: unknown = raw;
  if (isRecord(raw)) rows = raw.items ?? raw.rows ?? raw.series ?? raw.data ?? [];
  if (!Array.isArray(rows) || rows.length === 0) return { xType: 'category', series: [] };
  if (rows.every((r) => typeof r === 'number' || r === null)) {
    return { xType: 'value', series: [{ name: o.yField ? String(o.yField) : 'value', points: rows.map((y, i) => [i, y as number | null]) }] };
  }
  // Ready-made series: [{name, data: [[x, y], ...]}]
  if (rows.every((r) => isRecord(r) && Array.isArray(r.data) && typeof r.name === 'string')) {
    const xs = (rows as { data: unknown[] }[]).flatMap((s) => s.data.map((p) => (Array.isArray(p) ? p[0] : undefined)));
    const xType = detectX(xs);
    return {
      xType,
      series: (rows as { name: string; data: unknown[] }[]).map((s) => ({
        name: s.name,
        points: s.data.map((p, i) => (Array.isArray(p) ? ([xValue(p[0], xType), promValue(p[1])] as Point) : ([i, promValue(p)] as Point))),
      })),
    };
  }
  const xField = o.xField ?? 'x';
  const yFields = Array.isArray(o.yField) ? o.yField : [o.yField ?? 'y'];
  const recs = rows.filter(isRecord);
  const xType = detectX(recs.map((r) => getPath(r, xField)));
  const groups = new Map<string, Point[]>();
  for (const r of recs) {
    const x = xValue(getPath(r, xField), xType);
    for (const yf of yFields) {
      const group = o.seriesField ? String(getPath(r, o.seriesField) ?? '') : yFields.length > 1 ? yf : yf;
      const key = o.seriesField && yFields.length > 1 ? `${group} ${yf}` : group;
      let pts = groups.get(key);
      if (!pts) groups.set(key, (pts = []));
      pts.push([x, promValue(getPath(r, yf))]);
    }
  }
  const series = [...groups].map(([name, points]) => ({
    name,
    points: xType === 'category' ? points : points.sort((a, b) => (a[0] as number) - (b[0] as number)),
  }));
  return { xType, series };
}

/** The latest value of the first series (gauges, stat cards, sparklines). */
export function lastValue(set: SeriesSet): number | null {
  const pts = set.series[0]?.points ?? [];
  for (let i = pts.length - 1; i >= 0; i--) if (pts[i][1] !== null) return pts[i][1];
  return null;
}
