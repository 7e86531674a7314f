// A runner for Prometheus' promqltest script format (load, clear, eval instant/range, expect fail,
// eval_fail, eval_ordered), evaluating against MemoryQueryable with this engine.
import { createEngine } from './engine.js';
import { MemoryQueryable } from './memory.js';
import { parseDuration, parseNumber as parseUnsigned, unquote } from './parser/parse.js';
import { STALE_NAN, type Labels, type PromQLEngine, type QueryResult } from './storage.js';
import { labelsKey, labelsString, normLabels } from './value.js';

export interface EvalCase {
  line: number;
  expr: string;
  run: () => Promise<void>;
}

interface Expected {
  labels: Labels | undefined; // undefined: a scalar
  values: (number | undefined)[];
}

const EPSILON = 1e-6;

function parseNumber(s: string): number | undefined {
  if (s.startsWith('-')) {
    const v = parseUnsigned(s.slice(1));
    return v === undefined ? undefined : -v;
  }
  return parseUnsigned(s.startsWith('+') ? s.slice(1) : s);
}

function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || diff < Number.MIN_VALUE) return diff < EPSILON * Number.MIN_VALUE * 1e300;
  return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
}

/** promqltest series values: `1 2 _ stale 0+10x5 5-1x3 _x2 Inf NaN`. */
export function expandValues(text: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    if (tok === '_') { out.push(undefined); continue; }
    if (tok === 'stale') { out.push(STALE_NAN); continue; }
    let m = /^_x(\d+)$/.exec(tok);
    if (m) { for (let i = 0; i < Number(m[1]); i++) out.push(undefined); continue; }
    m = /^(.+?)([+-])(.+)x(\d+)$/.exec(tok);
    if (m && parseNumber(m[1]!) !== undefined) {
      const start = parseNumber(m[1]!)!;
      const step = parseNumber(m[3]!)! * (m[2] === '-' ? -1 : 1);
      for (let i = 0; i <= Number(m[4]); i++) out.push(start + step * i);
      continue;
    }
    m = /^(.+)x(\d+)$/.exec(tok);
    if (m && parseNumber(m[1]!) !== undefined) {
      const v = parseNumber(m[1]!)!;
      for (let i = 0; i <= Number(m[2]); i++) out.push(v);
      continue;
    }
    const v = parseNumber(tok);
    if (v === undefined) throw new Error(`bad value "${tok}"`);
    out.push(v);
  }
  return out;
}

/** `name{a="b"}` / `{__name__="x"}` -> labels; returns [labels, rest of line]. */
export function parseSeriesDesc(line: string): [Labels, string] {
  const l: Labels = {};
  let i = 0;
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (name) { l.__name__ = name[0]; i = name[0].length; }
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') { i++; break; }
      const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
      if (!ln) throw new Error(`bad series description: ${line}`);
      i += ln[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') throw new Error(`bad series description: ${line}`);
      i++;
      while (line[i] === ' ') i++;
      const q = line[i];
      let j = i + 1;
      while (j < line.length && line[j] !== q) j += line[j] === '\\' ? 2 : 1;
      l[ln[0]] = unquote(line.slice(i, j + 1));
      i = j + 1;
    }
  }
  if (!name && i === 0) throw new Error(`bad series description: ${line}`);
  return [normLabels(l), line.slice(i)];
}

function dur(s: string, line: number): number {
  const d = parseDuration(s);
  if (d === undefined) {
    const n = Number(s);
    if (Number.isFinite(n)) return n * 1000;
    throw new Error(`line ${line}: bad duration "${s}"`);
  }
  return d;
}

/** Parses a promqltest script into eval cases that run in order against one shared store. */
export function loadTestScript(text: string, engine: PromQLEngine = createEngine()): EvalCase[] {
  const store = new MemoryQueryable();
  const lines = text.split('\n');
  const cases: EvalCase[] = [];
  // loads and clears are queued so that they happen between the evals that surround them
  const ops: (() => void)[] = [];
  const flush = () => { while (ops.length) ops.shift()!(); };
  let i = 0;
  const isIndented = (s: string | undefined) => s !== undefined && /^\s+\S/.test(s) && !/^\s*#/.test(s);
  while (i < lines.length) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const line = raw.trim();
    i++;
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'clear') { ops.push(() => store.clear()); continue; }
    let m = /^load\s+(\S+)$/.exec(line);
    if (m) {
      const interval = dur(m[1]!, lineNo);
      const series: [Labels, (number | undefined)[]][] = [];
      while (isIndented(lines[i])) {
        const [labels, rest] = parseSeriesDesc(lines[i]!.trim());
        series.push([labels, expandValues(rest)]);
        i++;
      }
      ops.push(() => {
        for (const [labels, vals] of series) vals.forEach((v, k) => { if (v !== undefined) store.add(labels, k * interval, v); });
      });
      continue;
    }
    m = /^(eval|eval_fail|eval_ordered)\s+instant\s+at\s+(\S+)\s+(.+)$/.exec(line);
    const r = m ? undefined : /^(eval|eval_fail|eval_ordered)\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/.exec(line);
    if (!m && !r) throw new Error(`line ${lineNo}: cannot parse "${line}"`);
    const kind = (m ?? r)![1]!;
    const expr = m ? m[3]! : r![5]!;
    let fail = kind === 'eval_fail';
    let failMsg: string | undefined;
    let failRegex: RegExp | undefined;
    const expected: Expected[] = [];
    while (isIndented(lines[i])) {
      const el = lines[i]!.trim();
      i++;
      const f = /^expect fail(?:\s+(msg|regex):\s*(.*))?$/.exec(el);
      if (f) {
        fail = true;
        if (f[1] === 'msg') failMsg = f[2];
        if (f[1] === 'regex') failRegex = new RegExp(f[2]!);
        continue;
      }
      if (/^expect\s/.test(el)) continue; // expect warn / info: annotations are not produced by this engine
      if (/^[-+0-9.]|^(NaN|Inf)/i.test(el) && !el.startsWith('{')) {
        expected.push({ labels: undefined, values: expandValues(el) });
        continue;
      }
      const [labels, rest] = parseSeriesDesc(el);
      expected.push({ labels, values: expandValues(rest) });
    }
    const ordered = kind === 'eval_ordered';
    const at = m ? dur(m[2]!, lineNo) : 0;
    const range = r ? { start: dur(r[2]!, lineNo), end: dur(r[3]!, lineNo), step: dur(r[4]!, lineNo) } : undefined;
    const pending = [...ops];
    ops.length = 0;
    cases.push({
      line: lineNo,
      expr,
      run: async () => {
        for (const op of pending) op();
        let data: QueryResult;
        try {
          data = range
            ? (await engine.rangeQuery(store, expr, range.start, range.end, range.step)).data
            : (await engine.instantQuery(store, expr, at)).data;
        } catch (e) {
          if (!fail) throw new Error(`line ${lineNo}: ${expr}: unexpected error: ${(e as Error).message}`);
          const msg = (e as Error).message;
          if (failMsg !== undefined && msg !== failMsg) throw new Error(`line ${lineNo}: expected error "${failMsg}", got "${msg}"`);
          if (failRegex && !failRegex.test(msg)) throw new Error(`line ${lineNo}: error "${msg}" does not match ${failRegex}`);
          return;
        }
        if (fail) throw new Error(`line ${lineNo}: ${expr}: expected an error, got ${JSON.stringify(data)}`);
        compare(lineNo, expr, data, expected, ordered, range);
      },
    });
  }
  // trailing loads/clears have no eval after them
  flush();
  return cases;
}

function compare(line: number, expr: string, data: QueryResult, expected: Expected[], ordered: boolean, range?: { start: number; end: number; step: number }): void {
  const where = `line ${line}: ${expr}`;
  if (data.resultType === 'scalar') {
    const want = expected[0];
    if (!want || want.labels !== undefined) throw new Error(`${where}: got scalar ${data.result[1]}, expected ${expected.length} series`);
    const got = Number(data.result[1] === '+Inf' ? Infinity : data.result[1] === '-Inf' ? -Infinity : data.result[1]);
    if (!almostEqual(got, want.values[0]!)) throw new Error(`${where}: expected scalar ${want.values[0]}, got ${data.result[1]}`);
    return;
  }
  if (data.resultType === 'string') throw new Error(`${where}: string results are not supported by the runner`);
  const got = new Map<string, { labels: Labels; points: Map<number, number>; index: number }>();
  const toNum = (s: string) => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));
  if (data.resultType === 'vector') {
    data.result.forEach((s, index) => got.set(labelsKey(s.metric), { labels: s.metric, points: new Map([[0, toNum(s.value[1])]]), index }));
  } else {
    data.result.forEach((s, index) => got.set(labelsKey(s.metric), {
      labels: s.metric,
      points: new Map(s.values.map(([t, v]) => [Math.round(t * 1000), toNum(v)])),
      index,
    }));
  }
  for (const e of expected) if (e.labels === undefined) throw new Error(`${where}: expected a scalar, got a ${data.resultType}`);
  const wantKeys = new Set(expected.map((e) => labelsKey(e.labels!)));
  for (const [k, g] of got) if (!wantKeys.has(k)) throw new Error(`${where}: unexpected series ${labelsString(g.labels)}`);
  expected.forEach((e, idx) => {
    const g = got.get(labelsKey(e.labels!));
    if (!g) throw new Error(`${where}: missing series ${labelsString(e.labels!)}`);
    if (ordered && g.index !== idx) throw new Error(`${where}: ${labelsString(e.labels!)} at position ${g.index}, expected ${idx}`);
    if (data.resultType === 'vector') {
      if (!almostEqual(g.points.get(0)!, e.values[0]!)) throw new Error(`${where}: ${labelsString(e.labels!)}: expected ${e.values[0]}, got ${g.points.get(0)}`);
      return;
    }
    if (!range) throw new Error(`${where}: range-vector results are not comparable`);
    const wantPts = new Map<number, number>();
    e.values.forEach((v, k) => { if (v !== undefined) wantPts.set(range.start + k * range.step, v); });
    for (const [t, v] of wantPts) {
      const gv = g.points.get(t);
      if (gv === undefined) throw new Error(`${where}: ${labelsString(e.labels!)}: missing point at ${t / 1000}s (expected ${v})`);
      if (!almostEqual(gv, v)) throw new Error(`${where}: ${labelsString(e.labels!)} at ${t / 1000}s: expected ${v}, got ${gv}`);
    }
    for (const t of g.points.keys()) if (!wantPts.has(t)) throw new Error(`${where}: ${labelsString(e.labels!)}: unexpected point at ${t / 1000}s`);
  });
}
