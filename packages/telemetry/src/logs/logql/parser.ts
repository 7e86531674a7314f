import { InputError } from '@sreworks/kernel';
import type { LabelMatcher, MatchOp } from '../types.js';
import type { AggOp, Expr, LabelPredicate, LogSelectorExpr, MetricExpr, RangeFn, Stage } from './ast.js';

/** A LogQL syntax error: 400 with the position (1-based line/column and offset) of the fault. */
export class LogQLParseError extends InputError {
  constructor(message: string, query: string, pos: number) {
    const { line, col } = lineCol(query, pos);
    super(`parse error at line ${line}, col ${col}: ${message}`, { field: 'query', position: pos, line, col }, 'LOGQL_PARSE');
  }
}

function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}

type TokKind = 'ident' | 'string' | 'number' | 'duration' | 'op' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  /** Decoded value for strings. */
  value: string;
  pos: number;
}

const OPS = ['|=', '|~', '!=', '!~', '=~', '==', '>=', '<=', '=', '>', '<', '|', '{', '}', '(', ')', '[', ']', ','];
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y))+/;
const BYTES = /^\d+(?:\.\d+)?(?:[KMGTPE]i?B|B|[kmgtpe]i?b|b)$/;

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new LogQLParseError('unterminated string', src, start);
        const ch = src[i]!;
        if (ch === '"') break;
        if (ch === '\\') {
          const n = src[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', "'": "'" };
          if (n !== undefined && map[n] !== undefined) {
            v += map[n];
            i += 2;
            continue;
          }
          if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            v += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          throw new LogQLParseError(`invalid escape \\${n ?? ''} in string`, src, i);
        }
        v += ch;
        i++;
      }
      i++;
      out.push({ kind: 'string', text: src.slice(start, i), value: v, pos: start });
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new LogQLParseError('unterminated raw string', src, start);
      out.push({ kind: 'string', text: src.slice(start, end + 1), value: src.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const rest = src.slice(i);
      const d = DURATION.exec(rest);
      if (d && !/[a-zA-Z_]/.test(rest[d[0].length] ?? '')) {
        out.push({ kind: 'duration', text: d[0], value: d[0], pos: start });
        i += d[0].length;
        continue;
      }
      const m = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?[a-zA-Z]*/.exec(rest)!;
      out.push({ kind: 'number', text: m[0], value: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (/[a-zA-Z_]/.test(c)) {
      const m = /^[a-zA-Z_][a-zA-Z0-9_.]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', text: m[0], value: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new LogQLParseError(`unexpected character ${JSON.stringify(c)}`, src, i);
    out.push({ kind: 'op', text: op, value: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', value: '', pos: src.length });
  return out;
}

const RANGE_FNS: readonly RangeFn[] = ['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate'];
const AGG_OPS: readonly AggOp[] = ['sum', 'avg', 'min', 'max', 'count', 'topk', 'bottomk'];

export function parseDurationMs(text: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, y: 31536e6 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]?)(i?)B$/i.exec(text);
  if (!m) return undefined;
  const pow = ' KMGTPE'.indexOf(m[2]!.toUpperCase() || ' ');
  const base = m[3] ? 1024 : 1000;
  return Number(m[1]) * base ** pow;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private fail(msg: string, tok = this.peek()): never {
    throw new LogQLParseError(msg, this.src, tok.pos);
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of query' : JSON.stringify(t.text);
  }
  private expectOp(op: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== op) this.fail(`syntax error: unexpected ${this.describe(t)}, expected "${op}"`);
    return this.next();
  }
  private isOp(op: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'op' && t.text === op;
  }

  parse(): Expr {
    const e = this.expr();
    if (this.peek().kind !== 'eof') this.fail(`syntax error: unexpected ${this.describe(this.peek())}`);
    return e;
  }

  private expr(): Expr {
    if (this.isOp('{')) return this.logExpr();
    return this.metricExpr();
  }

  private metricExpr(): MetricExpr {
    const t = this.peek();
    if (this.isOp('(')) {
      this.next();
      const e = this.metricExpr();
      this.expectOp(')');
      return e;
    }
    if (t.kind !== 'ident') this.fail(`syntax error: unexpected ${this.describe(t)}, expected a stream selector {…} or a function`);
    if ((RANGE_FNS as readonly string[]).includes(t.text)) return this.rangeAgg();
    if ((AGG_OPS as readonly string[]).includes(t.text)) return this.vectorAgg();
    this.fail(`unknown function ${JSON.stringify(t.text)}; supported: ${[...RANGE_FNS, ...AGG_OPS].join(', ')}`);
  }

  private rangeAgg(): MetricExpr {
    const fn = this.next().text as RangeFn;
    this.expectOp('(');
    if (!this.isOp('{')) this.fail(`syntax error: ${fn} expects a log range like {app="x"} [5m]`);
    const log = this.logExpr();
    this.expectOp('[');
    const d = this.peek();
    if (d.kind !== 'duration') this.fail(`syntax error: expected a duration like 5m, got ${this.describe(d)}`);
    this.next();
    const rangeMs = parseDurationMs(d.text);
    if (rangeMs <= 0) this.fail('range must be positive', d);
    this.expectOp(']');
    this.expectOp(')');
    return { type: 'range', fn, log, rangeMs };
  }

  private grouping(): { without: boolean; labels: string[] } {
    const kw = this.next();
    this.expectOp('(');
    const labels: string[] = [];
    while (!this.isOp(')')) {
      const l = this.peek();
      if (l.kind !== 'ident') this.fail(`syntax error: expected a label name, got ${this.describe(l)}`);
      labels.push(this.next().text);
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.expectOp(')');
    return { without: kw.text === 'without', labels };
  }

  private vectorAgg(): MetricExpr {
    const opTok = this.next();
    const op = opTok.text as AggOp;
    let grouping: { without: boolean; labels: string[] } | undefined;
    const kw = this.peek();
    if (kw.kind === 'ident' && (kw.text === 'by' || kw.text === 'without')) grouping = this.grouping();
    this.expectOp('(');
    let param: number | undefined;
    if (op === 'topk' || op === 'bottomk') {
      const p = this.peek();
      if (p.kind !== 'number' || !/^\d+$/.test(p.text)) this.fail(`syntax error: ${op} expects an integer k first, got ${this.describe(p)}`);
      param = Number(this.next().text);
      this.expectOp(',');
    }
    const inner = this.metricExpr();
    this.expectOp(')');
    const kw2 = this.peek();
    if (kw2.kind === 'ident' && (kw2.text === 'by' || kw2.text === 'without')) {
      if (grouping) this.fail('grouping given twice', kw2);
      grouping = this.grouping();
    }
    return { type: 'agg', op, inner, ...(grouping ? { grouping } : {}), ...(param !== undefined ? { param } : {}) };
  }

  private logExpr(): LogSelectorExpr {
    const matchers = this.selector();
    const stages: Stage[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') break;
      if (t.text === '|=' || t.text === '!=' || t.text === '|~' || t.text === '!~') {
        this.next();
        const s = this.peek();
        if (s.kind !== 'string') this.fail(`syntax error: line filter ${t.text} expects a string, got ${this.describe(s)}`);
        this.next();
        if (t.text === '|~' || t.text === '!~') this.checkRegex(s.value, s.pos);
        stages.push({ kind: 'line_filter', op: t.text, value: s.value, pos: t.pos });
        continue;
      }
      if (t.text === '|') {
        this.next();
        stages.push(this.stage(t.pos));
        continue;
      }
      break;
    }
    return { type: 'log', matchers, stages };
  }

  private stage(pos: number): Stage {
    const t = this.peek();
    if (t.kind === 'ident' && (t.text === 'json' || t.text === 'logfmt') && !this.isLabelOpAt(1)) {
      this.next();
      return { kind: t.text, pos };
    }
    if (t.kind === 'ident' && t.text === 'line_format' && !this.isLabelOpAt(1)) {
      this.next();
      const s = this.peek();
      if (s.kind !== 'string') this.fail(`syntax error: line_format expects a template string, got ${this.describe(s)}`);
      this.next();
      return { kind: 'line_format', template: s.value, pos };
    }
    if (t.kind === 'ident' && (t.text === 'drop' || t.text === 'keep') && !this.isLabelOpAt(1)) {
      this.next();
      const labels: { name: string; value?: string }[] = [];
      do {
        if (labels.length > 0) this.next();
        const n = this.peek();
        if (n.kind !== 'ident') this.fail(`syntax error: ${t.text} expects label names, got ${this.describe(n)}`);
        this.next();
        if (this.isOp('=')) {
          this.next();
          const v = this.peek();
          if (v.kind !== 'string') this.fail(`syntax error: expected a quoted value, got ${this.describe(v)}`);
          this.next();
          labels.push({ name: n.text, value: v.value });
        } else labels.push({ name: n.text });
      } while (this.isOp(','));
      return { kind: t.text, labels, pos };
    }
    if (t.kind === 'ident' && ['regexp', 'pattern', 'unpack', 'label_format', 'unwrap', 'decolorize', 'line_format'].includes(t.text) && !this.isLabelOpAt(1)) {
      this.fail(`stage "${t.text}" is not supported by this LogQL subset (supported: json, logfmt, line_format, drop, keep, label filters)`);
    }
    return { kind: 'label_filter', predicate: this.labelOr(), pos };
  }

  private isLabelOpAt(o: number): boolean {
    const t = this.peek(o);
    return t.kind === 'op' && ['=', '!=', '=~', '!~', '==', '>', '>=', '<', '<='].includes(t.text);
  }

  private labelOr(): LabelPredicate {
    let left = this.labelAnd();
    while (this.peek().kind === 'ident' && this.peek().text === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.labelAnd() };
    }
    return left;
  }

  private labelAnd(): LabelPredicate {
    let left = this.labelPrimary();
    for (;;) {
      const t = this.peek();
      if ((t.kind === 'ident' && t.text === 'and') || (t.kind === 'op' && t.text === ',')) {
        this.next();
        left = { kind: 'and', left, right: this.labelPrimary() };
        continue;
      }
      // Loki also accepts a plain space between label filters as "and".
      if (t.kind === 'ident' && t.text !== 'or' && this.isLabelOpAt(1)) {
        left = { kind: 'and', left, right: this.labelPrimary() };
        continue;
      }
      return left;
    }
  }

  private labelPrimary(): LabelPredicate {
    if (this.isOp('(')) {
      this.next();
      const p = this.labelOr();
      this.expectOp(')');
      return p;
    }
    const n = this.peek();
    if (n.kind !== 'ident') this.fail(`syntax error: expected a parser (json, logfmt), line_format or a label filter, got ${this.describe(n)}`);
    this.next();
    const op = this.peek();
    if (op.kind !== 'op' || !['=', '!=', '=~', '!~', '==', '>', '>=', '<', '<='].includes(op.text)) {
      this.fail(`syntax error: expected a comparison after label ${JSON.stringify(n.text)}, got ${this.describe(op)}`);
    }
    this.next();
    const v = this.peek();
    if (v.kind === 'string') {
      this.next();
      if (op.text === '=~' || op.text === '!~') this.checkRegex(v.value, v.pos);
      if (!['=', '!=', '=~', '!~'].includes(op.text)) this.fail(`syntax error: ${op.text} compares numbers, got a string`, v);
      return { kind: 'string', name: n.text, op: op.text as '=' | '!=' | '=~' | '!~', value: v.value };
    }
    if (v.kind === 'number' || v.kind === 'duration') {
      this.next();
      if (op.text === '=~' || op.text === '!~') this.fail(`syntax error: ${op.text} needs a string regex`, v);
      const numOp = (op.text === '=' ? '==' : op.text) as '==' | '!=' | '>' | '>=' | '<' | '<=';
      if (v.kind === 'duration') return { kind: 'number', name: n.text, op: numOp, value: parseDurationMs(v.text) / 1000, unit: 'duration' };
      if (/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/.test(v.text)) return { kind: 'number', name: n.text, op: numOp, value: Number(v.text), unit: 'none' };
      const b = BYTES.test(v.text) ? parseBytes(v.text) : undefined;
      if (b === undefined) this.fail(`invalid number ${JSON.stringify(v.text)}`, v);
      return { kind: 'number', name: n.text, op: numOp, value: b, unit: 'bytes' };
    }
    this.fail(`syntax error: expected a string or number after ${op.text}, got ${this.describe(v)}`);
  }

  private checkRegex(re: string, pos: number): void {
    try {
      new RegExp(re);
    } catch (e) {
      throw new LogQLParseError(`invalid regex: ${(e as Error).message}`, this.src, pos);
    }
  }

  private selector(): LabelMatcher[] {
    this.expectOp('{');
    const matchers: LabelMatcher[] = [];
    while (!this.isOp('}')) {
      const n = this.peek();
      if (n.kind !== 'ident' || n.text.includes('.')) this.fail(`syntax error: expected a label name, got ${this.describe(n)}`);
      this.next();
      const op = this.peek();
      if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text)) this.fail(`syntax error: unexpected ${this.describe(op)}, expected one of =, !=, =~, !~`);
      this.next();
      const v = this.peek();
      if (v.kind !== 'string') this.fail(`syntax error: label value must be a quoted string, got ${this.describe(v)}`);
      this.next();
      if (op.text === '=~' || op.text === '!~') this.checkRegex(v.value, v.pos);
      matchers.push({ name: n.text, op: op.text as MatchOp, value: v.value });
      if (!this.isOp('}')) {
        if (!this.isOp(',')) this.fail(`syntax error: unexpected ${this.describe(this.peek())}, expected "," or "}"`);
        this.next();
      }
    }
    this.expectOp('}');
    return matchers;
  }
}

export function parseLogQL(query: string): Expr {
  if (query.trim() === '') throw new LogQLParseError('query is empty', query, 0);
  return new Parser(query, lex(query)).parse();
}

/** Parse only a stream selector (`{a="b"}`), as used in `match[]` and push protobuf labels. */
export function parseSelector(text: string): LabelMatcher[] {
  const e = parseLogQL(text);
  if (e.type !== 'log' || e.stages.length > 0) throw new LogQLParseError('expected a plain stream selector like {app="x"}', text, 0);
  return e.matchers;
}
