// Aggregation operators (sum, avg, ..., topk, quantile, count_values) over one step's vector,
// following Prometheus' engine.aggregation: grouping, float handling and result labels.
import type { AggregateExpr } from './parser/ast.js';
import type { Labels } from './storage.js';
import { METRIC_NAME, PromQLError, formatValue, isValidLabelName, labelsKey, quantile, type Sample, type Vector } from './value.js';

interface Group {
  labels: Labels;
  value: number;
  mean: number;
  count: number;
  heap: Sample[];
  values: number[];
}

function groupingLabels(metric: Labels, grouping: string[], without: boolean): Labels {
  const out: Labels = {};
  if (without) {
    for (const n in metric) if (n !== METRIC_NAME && !grouping.includes(n)) out[n] = metric[n]!;
  } else {
    for (const n of grouping) if (metric[n] !== undefined && metric[n] !== '') out[n] = metric[n]!;
  }
  return out;
}

/** Evaluates one aggregation at one step. `param` is the scalar (topk, quantile) or label (count_values). */
export function aggregate(e: AggregateExpr, vec: Vector, param: number | string | undefined): Vector {
  const { op, grouping, without } = e;
  if (op === 'count_values') {
    const label = param as string;
    if (!isValidLabelName(label)) throw new PromQLError('execution', `invalid label name "${label}"`);
    const counts = new Map<string, Sample>();
    for (const s of vec) {
      const l = groupingLabels(s.metric, grouping, without);
      l[label] = formatValue(s.f);
      const key = labelsKey(l);
      const c = counts.get(key);
      if (c) c.f++;
      else counts.set(key, { metric: sortLabels(l), f: 1 });
    }
    return [...counts.values()];
  }
  let k = 0;
  if (op === 'topk' || op === 'bottomk') {
    const p = param as number;
    if (!Number.isFinite(p) && !Number.isNaN(p)) throw new PromQLError('execution', `Scalar value ${formatValue(p)} overflows int64`);
    k = Number.isNaN(p) ? 0 : Math.trunc(p);
    if (k < 1) return [];
  }
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of vec) {
    const gl = groupingLabels(s.metric, grouping, without);
    const key = labelsKey(gl);
    let g = groups.get(key);
    if (!g) {
      g = { labels: sortLabels(gl), value: op === 'stddev' || op === 'stdvar' ? 0 : s.f, mean: s.f, count: 1, heap: [s], values: [s.f] };
      groups.set(key, g);
      order.push(g);
      continue;
    }
    switch (op) {
      case 'sum':
        g.value += s.f;
        break;
      case 'avg': {
        g.count++;
        if (g.mean === Infinity || g.mean === -Infinity) {
          if ((s.f === Infinity || s.f === -Infinity) && g.mean > 0 === s.f > 0) break;
          if (Number.isFinite(s.f)) break;
        }
        // divide both terms first to avoid overflow, as Prometheus does
        g.mean += s.f / g.count - g.mean / g.count;
        break;
      }
      case 'group':
        break;
      case 'count':
        g.count++;
        break;
      case 'max':
        if (g.value < s.f || Number.isNaN(g.value)) g.value = s.f;
        break;
      case 'min':
        if (g.value > s.f || Number.isNaN(g.value)) g.value = s.f;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = s.f - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.f - g.mean);
        break;
      }
      case 'topk':
      case 'bottomk': {
        // Go's container/heap with Prometheus' comparison, so ties select the same series
        // (Prometheus 2.x: a NaN at the top is always replaced; pop then push)
        const less = op === 'topk' ? lessTop : lessBottom;
        const h = g.heap;
        const top = h[0]!;
        if (h.length < k || (op === 'topk' ? top.f < s.f : top.f > s.f) || Number.isNaN(top.f)) {
          if (h.length === k) {
            if (k === 1) {
              h[0] = s;
              break;
            }
            pop(h, less);
          }
          h.push(s);
          up(h, h.length - 1, less);
        }
        break;
      }
      case 'quantile':
        g.values.push(s.f);
        break;
    }
  }
  const out: Vector = [];
  for (const g of order) {
    switch (op) {
      case 'sum': out.push({ metric: g.labels, f: g.value }); break;
      case 'avg': out.push({ metric: g.labels, f: g.mean }); break;
      case 'group': out.push({ metric: g.labels, f: 1 }); break;
      case 'count': out.push({ metric: g.labels, f: g.count }); break;
      case 'max':
      case 'min': out.push({ metric: g.labels, f: g.value }); break;
      case 'stdvar': out.push({ metric: g.labels, f: g.value / g.count }); break;
      case 'stddev': out.push({ metric: g.labels, f: Math.sqrt(g.value / g.count) }); break;
      case 'quantile': out.push({ metric: g.labels, f: quantile(param as number, g.values) }); break;
      case 'topk':
      case 'bottomk': {
        // output in reverse heap order: largest first for topk, smallest first for bottomk
        const less = op === 'topk' ? lessTop : lessBottom;
        const sorted = [...g.heap].sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0));
        for (const s of sorted) out.push({ metric: s.metric, f: s.f });
        break;
      }
      default: break;
    }
  }
  return out;
}

// vectorByValueHeap / vectorByReverseValueHeap Less: NaN first, then by value.
function lessTop(a: Sample, b: Sample): boolean {
  return Number.isNaN(a.f) || a.f < b.f;
}
function lessBottom(a: Sample, b: Sample): boolean {
  return Number.isNaN(a.f) || a.f > b.f;
}

function up(h: Sample[], j: number, less: (a: Sample, b: Sample) => boolean): void {
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !less(h[j]!, h[i]!)) break;
    [h[i], h[j]] = [h[j]!, h[i]!];
    j = i;
  }
}

function down(h: Sample[], i0: number, n: number, less: (a: Sample, b: Sample) => boolean): void {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2]!, h[j1]!)) j = j2;
    if (!less(h[j]!, h[i]!)) break;
    [h[i], h[j]] = [h[j]!, h[i]!];
    i = j;
  }
}

/** container/heap.Pop: move the top to the end, restore the heap over the rest, drop it. */
function pop(h: Sample[], less: (a: Sample, b: Sample) => boolean): void {
  const n = h.length - 1;
  [h[0], h[n]] = [h[n]!, h[0]!];
  down(h, 0, n, less);
  h.pop();
}

function sortLabels(l: Labels): Labels {
  const out: Labels = {};
  for (const n of Object.keys(l).sort()) out[n] = l[n]!;
  return out;
}
