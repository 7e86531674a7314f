// Binary operators: arithmetic, comparison (with and without bool), set operators, and vector
// matching (on/ignoring, group_left/group_right) with Prometheus' error messages.
import { COMPARISON_OPS, type BinaryExpr, type BinaryOp, type VectorMatching } from './parser/ast.js';
import type { Labels } from './storage.js';
import { goPow } from './functions.js';
import { METRIC_NAME, PromQLError, dropName, labelsString, type Sample, type Vector } from './value.js';

/** Prometheus' vectorElemBinop: the value and whether a comparison keeps the element. */
export function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+': return [l + r, true];
    case '-': return [l - r, true];
    case '*': return [l * r, true];
    case '/': return [l / r, true];
    case '^': return [goPow(l, r), true];
    case '%': return [l % r, true];
    case 'atan2': return [Math.atan2(l, r), true];
    case '==': return [l, l === r];
    case '!=': return [l, l !== r];
    case '>': return [l, l > r];
    case '<': return [l, l < r];
    case '>=': return [l, l >= r];
    case '<=': return [l, l <= r];
    default: throw new PromQLError('execution', `operator "${op}" not allowed for scalar operations`);
  }
}

// Prometheus 2.x keeps the metric name for atan2 (shouldDropMetricName lists only these).
function dropsName(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
}

export function scalarBinop(e: BinaryExpr, l: number, r: number): number {
  const [v, keep] = elemBinop(e.op, l, r);
  return e.returnBool ? (keep ? 1 : 0) : v;
}

/** vector op scalar, or scalar op vector when `swap`. */
export function vectorScalarBinop(e: BinaryExpr, vec: Vector, scalar: number, swap: boolean): Vector {
  const out: Vector = [];
  const isCmp = COMPARISON_OPS.has(e.op);
  for (const s of vec) {
    let lv = s.f;
    let rv = scalar;
    if (swap) [lv, rv] = [rv, lv];
    let [value, keep] = elemBinop(e.op, lv, rv);
    // a comparison always yields the vector element's value, even when the scalar is on the left
    if (isCmp && swap) value = rv;
    if (e.returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ metric: dropsName(e.op) || e.returnBool ? dropName(s.metric) : s.metric, f: value });
  }
  return out;
}

function signature(m: VectorMatching): (l: Labels) => string {
  if (m.on) {
    const names = [...m.labels].sort();
    return (l) => names.map((n) => `${n}\xff${l[n] ?? ''}`).join('\xfe');
  }
  const skip = new Set([...m.labels, METRIC_NAME]);
  return (l) => {
    let k = '';
    for (const n of Object.keys(l).sort()) if (!skip.has(n)) k += `${n}\xff${l[n]}\xfe`;
    return k;
  };
}

function matchedLabels(l: Labels, m: VectorMatching): Labels {
  const out: Labels = {};
  for (const n of Object.keys(l).sort()) {
    const inList = m.labels.includes(n);
    if (m.on ? inList : !inList && n !== METRIC_NAME) out[n] = l[n]!;
  }
  return out;
}

export function vectorBinop(e: BinaryExpr, lhs: Vector, rhs: Vector): Vector {
  const m = e.matching!;
  switch (e.op) {
    case 'and': return vectorAnd(lhs, rhs, m);
    case 'or': return vectorOr(lhs, rhs, m);
    case 'unless': return vectorUnless(lhs, rhs, m);
    default: break;
  }
  const sig = signature(m);
  const oneToMany = m.card === 'one-to-many';
  if (oneToMany) [lhs, rhs] = [rhs, lhs];
  const right = new Map<string, Sample>();
  for (const rs of rhs) {
    const k = sig(rs.metric);
    const dup = right.get(k);
    if (dup) {
      const side = oneToMany ? 'left' : 'right';
      throw new PromQLError(
        'execution',
        `found duplicate series for the match group ${labelsString(matchedLabels(rs.metric, m))} on the ${side} hand-side of the operation: [${labelsString(rs.metric)}, ${labelsString(dup.metric)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(k, rs);
  }
  const matched = new Map<string, Set<string> | null>();
  const out: Vector = [];
  for (const ls of lhs) {
    const k = sig(ls.metric);
    const rs = right.get(k);
    if (!rs) continue;
    let vl = ls.f;
    let vr = rs.f;
    if (oneToMany) [vl, vr] = [vr, vl];
    let [value, keep] = elemBinop(e.op, vl, vr);
    if (e.returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    let metric = resultMetric(ls.metric, rs.metric, e.op, m);
    if (e.returnBool) metric = dropName(metric);
    const seen = matched.get(k);
    if (m.card === 'one-to-one') {
      if (seen !== undefined) throw new PromQLError('execution', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matched.set(k, null);
    } else {
      const mk = Object.keys(metric).sort().map((n) => `${n}\xff${metric[n]}`).join('\xfe');
      let set = seen;
      if (!set) matched.set(k, (set = new Set()));
      else if (set.has(mk)) throw new PromQLError('execution', 'multiple matches for labels: grouping labels must ensure unique matches');
      set.add(mk);
    }
    out.push({ metric, f: value });
  }
  return out;
}

function resultMetric(l: Labels, r: Labels, op: BinaryOp, m: VectorMatching): Labels {
  const out: Labels = { ...l };
  if (dropsName(op)) delete out[METRIC_NAME];
  if (m.card === 'one-to-one') {
    if (m.on) {
      for (const n of Object.keys(out)) if (!m.labels.includes(n)) delete out[n];
    } else {
      for (const n of m.labels) delete out[n];
    }
  }
  for (const n of m.include) {
    const v = r[n];
    if (v !== undefined && v !== '') out[n] = v;
    else delete out[n];
  }
  const sorted: Labels = {};
  for (const n of Object.keys(out).sort()) sorted[n] = out[n]!;
  return sorted;
}

function vectorAnd(lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const sig = signature(m);
  const r = new Set(rhs.map((s) => sig(s.metric)));
  return lhs.filter((s) => r.has(sig(s.metric)));
}

function vectorOr(lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  if (lhs.length === 0) return rhs;
  if (rhs.length === 0) return lhs;
  const sig = signature(m);
  const l = new Set(lhs.map((s) => sig(s.metric)));
  return [...lhs, ...rhs.filter((s) => !l.has(sig(s.metric)))];
}

function vectorUnless(lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  if (lhs.length === 0 || rhs.length === 0) return lhs;
  const sig = signature(m);
  const r = new Set(rhs.map((s) => sig(s.metric)));
  return lhs.filter((s) => !r.has(sig(s.metric)));
}
