// PromQL text -> typed AST. Syntax from @prometheus-io/lezer-promql; the semantic checks and their
// wording follow Prometheus' parser (checkAST) so API clients see the errors they know.
import { parser as lezer } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import type { Matcher, MatchType } from '../storage.js';
import {
  AGGREGATE_OPS, COMPARISON_OPS, FUNCTION_SIGNATURES, SET_OPS, exprType, typeName,
  type AggregateExpr, type AggregateOp, type AtModifier, type BinaryExpr, type BinaryOp, type Expr,
  type PosRange, type ValueType, type VectorMatching, type VectorSelector,
} from './ast.js';
import { LexError, describeToken, tokenize } from './lexer.js';

/** A PromQL syntax or type error; `message` reads like Prometheus' ("1:5: parse error: ..."). */
export class ParseError extends Error {
  readonly errorType = 'bad_data';
  constructor(
    readonly query: string,
    readonly pos: number,
    readonly detail: string,
  ) {
    super(`${position(query, pos)} parse error: ${detail}`);
    this.name = 'ParseError';
  }
}

function position(query: string, pos: number): string {
  if (pos < 0 || pos > query.length) return 'invalid position:';
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < pos; i++) {
    if (query[i] === '\n') { line++; lastBreak = i; }
  }
  return `${line}:${pos - lastBreak}:`;
}

const HW_ALIAS = 'double_exponential_smoothing';

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2', 'start', 'end']);

export function parse(query: string): Expr {
  let tokens;
  try {
    tokens = tokenize(query);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(query, e.pos, e.message);
    throw e;
  }
  if (tokens.length === 1) throw new ParseError(query, 0, 'no expression found in input');
  // Identifiers called like functions must be known functions (Prometheus checks this in the grammar action).
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'identifier' && tokens[i + 1]!.kind === 'lparen' && !KEYWORDS.has(t.text.toLowerCase())
      && !AGGREGATE_OPS.has(t.text.toLowerCase()) && !(t.text in FUNCTION_SIGNATURES)) {
      const prev = tokens[i - 1];
      // `x offset 5m` etc. are not calls; only names in expression position are
      if (!prev || prev.text !== 'offset') throw new ParseError(query, t.pos, `unknown function with name "${t.text}"`);
    }
  }
  // The grammar knows Prometheus 3's name for holt_winters only: parse a renamed copy and map
  // positions back to the original text.
  let text = query;
  const shifts: { at: number; delta: number }[] = [];
  for (let i = tokens.length - 2; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.kind === 'identifier' && t.text === 'holt_winters' && tokens[i + 1]!.kind === 'lparen') {
      text = text.slice(0, t.pos) + HW_ALIAS + text.slice(t.pos + t.text.length);
    }
  }
  let acc = 0;
  for (const t of tokens) {
    if (t.kind === 'identifier' && t.text === 'holt_winters') {
      shifts.push({ at: t.pos + acc, delta: HW_ALIAS.length - t.text.length });
      acc += HW_ALIAS.length - t.text.length;
    }
  }
  const mapPos = (p: number): number => {
    let out = p;
    for (const sh of shifts) if (p > sh.at) out -= Math.min(sh.delta, p - sh.at);
    return out;
  };
  const tree = lezer.parse(text);
  let err: SyntaxNode | null = null;
  tree.iterate({
    enter(n) {
      if (err) return false;
      if (n.type.isError) { err = n.node; return false; }
      return undefined;
    },
  });
  if (err) {
    const at = mapPos((err as SyntaxNode).from);
    const tok = tokens.find((t) => t.pos >= at) ?? tokens[tokens.length - 1]!;
    throw new ParseError(query, tok.pos, `unexpected ${describeToken(tok)}`);
  }
  const b = new Builder(text, query, mapPos);
  const top = tree.topNode;
  const children = kids(top);
  if (children.length !== 1) throw new ParseError(query, 0, 'no expression found in input');
  const expr = b.expr(children[0]!);
  b.check(expr);
  return expr;
}

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
  return out;
}

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** Prometheus model.ParseDuration; returns ms or undefined. */
export function parseDuration(s: string): number | undefined {
  if (s === '' || s === '0') return s === '0' ? 0 : undefined;
  const m = DURATION_RE.exec(s);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i]!;
  return ms;
}

/** Go strconv.ParseFloat / ParseInt(base 0) as the PromQL lexer applies them. */
export function parseNumber(s: string): number | undefined {
  const l = s.toLowerCase();
  if (/^[+-]?inf(inity)?$/.test(l)) return l.startsWith('-') ? -Infinity : Infinity;
  if (l === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(l)) return parseInt(l.slice(2), 16);
  if (/^0[0-7]+$/.test(l)) return parseInt(l.slice(1), 8);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(l)) return Number(l);
  const d = parseDuration(s);
  return d === undefined ? undefined : d / 1000;
}

/** Go strconv.Unquote for "…", '…' and `…`. */
export function unquote(raw: string): string {
  const q = raw[0];
  const body = raw.slice(1, -1);
  if (q === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    switch (n) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
      default:
        if (n !== undefined && /[0-7]/.test(n)) {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else {
          throw new Error(`invalid escape sequence \\${n ?? ''}`);
        }
    }
  }
  return out;
}

const BIN_OPS: Record<string, BinaryOp> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Atan2: 'atan2',
  Eql: '==', Neq: '!=', Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=', And: 'and', Or: 'or', Unless: 'unless',
};
const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

class Builder {
  constructor(
    readonly q: string,
    readonly original: string,
    readonly mapPos: (p: number) => number,
  ) {}

  fail(pos: number, msg: string): never {
    throw new ParseError(this.original, this.mapPos(pos), msg);
  }

  text(n: SyntaxNode): string {
    return this.q.slice(n.from, n.to);
  }

  pr(n: SyntaxNode): PosRange {
    return { start: n.from, end: n.to };
  }
  // positions stay in parse-text coordinates until fail() maps them back

  str(n: SyntaxNode): string {
    try {
      return unquote(this.text(n));
    } catch (e) {
      return this.fail(n.from, (e as Error).message);
    }
  }

  duration(n: SyntaxNode): number {
    if (n.name === 'DurationExpr' || n.name === 'OffsetDurationExpr') {
      const c = kids(n);
      if (c.length === 1) return this.duration(c[0]!);
      if (c.length === 2 && c[0]!.name === 'UnaryOp') {
        const d = this.duration(c[1]!);
        return this.text(c[0]!) === '-' ? -d : d;
      }
      return this.fail(n.from, `duration arithmetic is not supported: "${this.text(n)}"`);
    }
    const t = this.text(n);
    const d = parseDuration(t);
    if (d !== undefined) return d;
    const f = parseNumber(t);
    if (f !== undefined && Number.isFinite(f)) return Math.round(f * 1000);
    return this.fail(n.from, `bad duration syntax: "${t}"`);
  }

  expr(n: SyntaxNode): Expr {
    const c = kids(n);
    switch (n.name) {
      case 'NumberDurationLiteral': {
        const t = this.text(n);
        const sign = /^[-+]/.test(t) ? t[0] : '';
        const u = parseNumber(sign ? t.slice(1).trim() : t);
        const v = u === undefined ? undefined : sign === '-' ? -u : u;
        if (v === undefined) this.fail(n.from, `bad number or duration syntax: "${this.text(n)}"`);
        return { type: 'NumberLiteral', value: v, pos: this.pr(n) };
      }
      case 'StringLiteral':
        return { type: 'StringLiteral', value: this.str(n), pos: this.pr(n) };
      case 'ParenExpr':
        return { type: 'ParenExpr', expr: this.expr(c[0]!), pos: this.pr(n) };
      case 'UnaryExpr': {
        const op = this.text(c[0]!) as '-' | '+';
        const inner = this.expr(c[1]!);
        // Prometheus folds a sign into a number literal
        if (inner.type === 'NumberLiteral') return { ...inner, value: op === '-' ? -inner.value : inner.value, pos: this.pr(n) };
        return { type: 'UnaryExpr', op, expr: inner, pos: this.pr(n) };
      }
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector': {
        const inner = this.expr(c[0]!);
        if (inner.type !== 'VectorSelector') this.fail(c[0]!.to, 'ranges only allowed for vector selectors');
        if (inner.offsetMs !== 0 || inner.at) this.fail(n.from, 'no offset modifiers allowed before range');
        return { type: 'MatrixSelector', vector: inner, rangeMs: this.duration(c[1]!), pos: this.pr(n) };
      }
      case 'SubqueryExpr': {
        const inner = this.expr(c[0]!);
        const rangeMs = this.duration(c[1]!);
        const stepMs = c[2] ? this.duration(c[2]) : 0;
        if (rangeMs <= 0) this.fail(n.from, 'subquery range must be positive');
        return { type: 'SubqueryExpr', expr: inner, rangeMs, stepMs, offsetMs: 0, pos: this.pr(n) };
      }
      case 'OffsetExpr': {
        const inner = this.expr(c[0]!);
        const off = this.duration(c[c.length - 1]!);
        const target = this.modifierTarget(inner, n, 'offset');
        if (target.offsetMs !== 0) this.fail(n.from, 'offset may not be set multiple times');
        target.offsetMs = off;
        return { ...inner, pos: this.pr(n) };
      }
      case 'StepInvariantExpr': {
        const inner = this.expr(c[0]!);
        const target = this.modifierTarget(inner, n, '@');
        if (target.at) this.fail(n.from, '@ <timestamp> may not be set multiple times');
        target.at = this.atValue(c.slice(2));
        return { ...inner, pos: this.pr(n) };
      }
      case 'FunctionCall': {
        const written = this.text(c[0]!);
        const name = written === HW_ALIAS ? 'holt_winters' : written;
        const body = c[1] ? kids(c[1]) : [];
        return { type: 'Call', func: name, args: body.map((a) => this.expr(a)), pos: this.pr(n) };
      }
      case 'AggregateExpr':
        return this.aggregate(n, c);
      case 'BinaryExpr':
        return this.binary(n, c);
      default:
        return this.fail(n.from, `unsupported syntax: "${this.text(n)}"`);
    }
  }

  /** the selector or subquery an offset / @ applies to (Prometheus forbids them elsewhere). */
  modifierTarget(e: Expr, n: SyntaxNode, what: string): VectorSelector | Extract<Expr, { type: 'SubqueryExpr' }> {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return e;
    if (e.type === 'MatrixSelector') return e.vector;
    const mod = what === 'offset' ? 'offset' : '@';
    return this.fail(n.from, `${mod} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
  }

  atValue(c: SyntaxNode[]): AtModifier {
    const n = c[c.length - 1]!;
    if (n.name === 'AtModifierPreprocessors') {
      return kids(n)[0]!.name === 'AtStart' ? { kind: 'start' } : { kind: 'end' };
    }
    let v = parseNumber(this.text(n));
    if (v === undefined) return this.fail(n.from, `bad number: "${this.text(n)}"`);
    if (c.length === 2 && this.text(c[0]!) === '-') v = -v;
    if (!Number.isFinite(v)) return this.fail(n.from, `timestamp out of bounds for @ modifier: ${v}`);
    return { kind: 'time', timeMs: Math.round(v * 1000) };
  }

  vectorSelector(n: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: Matcher[] = [];
    const setName = (v: string, at: number) => {
      if (name !== undefined) this.fail(at, `metric name must not be set twice: "${name}" or "${v}"`);
      name = v;
    };
    for (const c of kids(n)) {
      if (c.name === 'Identifier') setName(this.text(c), c.from);
      else if (c.name === 'LabelMatchers') {
        for (const m of kids(c)) {
          if (m.name === 'QuotedLabelName') setName(this.str(kids(m)[0]!), m.from);
          else if (m.name === 'UnquotedLabelMatcher' || m.name === 'QuotedLabelMatcher') {
            const [ln, op, val] = kids(m);
            const label = ln!.name === 'LabelName' ? this.text(ln!) : this.str(kids(ln!)[0]!);
            const type = MATCH_OPS[kids(op!)[0]!.name];
            if (!type) this.fail(op!.from, `unexpected match operator "${this.text(op!)}"`);
            const value = this.str(val!);
            if (type === '=~' || type === '!~') {
              try {
                compileRegex(value);
              } catch (e) {
                this.fail(m.from, `error parsing regexp: ${(e as Error).message}`);
              }
            }
            matchers.push({ name: label, type, value });
          }
        }
      }
    }
    if (name !== undefined) {
      if (matchers.some((m) => m.name === '__name__')) this.fail(n.from, `metric name must not be set twice: "${name}" or "${matchers.find((m) => m.name === '__name__')!.value}"`);
      matchers.unshift({ name: '__name__', type: '=', value: name });
    }
    // a selector that matches everything would load the whole store
    if (!matchers.some((m) => !matchesEmpty(m))) this.fail(n.from, 'vector selector must contain at least one non-empty matcher');
    return { type: 'VectorSelector', ...(name !== undefined ? { name } : {}), matchers, offsetMs: 0, pos: this.pr(n) };
  }

  aggregate(n: SyntaxNode, c: SyntaxNode[]): AggregateExpr {
    const op = this.text(c[0]!).toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    for (const k of c.slice(1)) {
      if (k.name === 'AggregateModifier') {
        const [kw, gl] = kids(k);
        without = kw!.name === 'Without';
        grouping = gl ? kids(gl).map((l) => (l.name === 'LabelName' ? this.text(l) : this.str(kids(l)[0] ?? l))) : [];
      } else if (k.name === 'FunctionCallBody') {
        args = kids(k).map((a) => this.expr(a));
      }
    }
    const needsParam = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
    const want = needsParam ? 2 : 1;
    if (args.length !== want) this.fail(n.from, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    const expr = args[args.length - 1]!;
    return {
      type: 'AggregateExpr', op, expr, ...(needsParam ? { param: args[0]! } : {}), grouping, without, pos: this.pr(n),
    };
  }

  binary(n: SyntaxNode, c: SyntaxNode[]): Expr {
    const lhs = this.expr(c[0]!);
    const rhs = this.expr(c[c.length - 1]!);
    const opNode = c[1]!;
    const op = BIN_OPS[opNode.name];
    if (!op) return this.fail(opNode.from, `binary expression does not support operator "${this.text(opNode)}"`);
    let returnBool = false;
    let matching: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };
    for (const k of c.slice(2, -1)) {
      if (k.name === 'BoolModifier') returnBool = true;
      else if (k.name === 'MatchingModifierClause') {
        const parts = kids(k);
        const labelsOf = (g: SyntaxNode | undefined) => (g ? kids(g).map((l) => (l.name === 'LabelName' ? this.text(l) : this.str(kids(l)[0] ?? l))) : []);
        matching = { card: 'one-to-one', on: parts[0]!.name === 'On', labels: labelsOf(parts[1]), include: [] };
        if (parts[2]) {
          matching.card = parts[2].name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
          matching.include = labelsOf(parts[3]);
        }
      }
    }
    const lhsText = c[0]!.name === 'NumberDurationLiteral' ? this.text(c[0]!) : '';
    if (op === '^' && /^[-+]/.test(lhsText)) {
      // the grammar lexes "-2" as one literal, but in PromQL "^" binds tighter than a sign: -2 ^ 2 = -(2 ^ 2)
      const num = lhs as Extract<Expr, { type: 'NumberLiteral' }>;
      const abs: Expr = { type: 'NumberLiteral', value: Math.abs(num.value), pos: num.pos };
      const inner: BinaryExpr = { type: 'BinaryExpr', op, lhs: abs, rhs, returnBool, matching, pos: this.pr(n) };
      return { type: 'UnaryExpr', op: lhsText[0] as '-' | '+', expr: inner, pos: this.pr(n) };
    }
    return { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching, pos: this.pr(n), opPos: opNode.from };
  }

  /** Prometheus' checkAST: types of arguments and operands. */
  check(e: Expr): void {
    switch (e.type) {
      case 'NumberLiteral':
      case 'StringLiteral':
      case 'VectorSelector':
        return;
      case 'ParenExpr':
        return this.check(e.expr);
      case 'MatrixSelector':
        return;
      case 'UnaryExpr': {
        this.check(e.expr);
        const t = exprType(e.expr);
        if (t !== 'scalar' && t !== 'vector') this.fail(e.pos.start, `unary expression only allowed on expressions of type scalar or instant vector, got "${t}"`);
        return;
      }
      case 'SubqueryExpr': {
        this.check(e.expr);
        const t = exprType(e.expr);
        if (t !== 'vector') this.fail(e.pos.start, `subquery is only allowed on instant vector, got ${t} instead`);
        return;
      }
      case 'Call': {
        const sig = FUNCTION_SIGNATURES[e.func];
        if (!sig) return this.fail(e.pos.start, `unknown function with name "${e.func}"`);
        const n = e.args.length;
        if (sig.variadic) {
          // the last (repeatable) argument may also be absent, as in Prometheus
          if (n < sig.args.length - 1) this.fail(e.pos.start, `expected at least ${sig.args.length - 1} argument(s) in call to "${e.func}", got ${n}`);
        } else {
          const min = sig.args.length - (sig.optional ?? 0);
          if (sig.optional) {
            if (n < min) this.fail(e.pos.start, `expected at least ${min} argument(s) in call to "${e.func}", got ${n}`);
            if (n > sig.args.length) this.fail(e.pos.start, `expected at most ${sig.args.length} argument(s) in call to "${e.func}", got ${n}`);
          } else if (n !== sig.args.length) {
            this.fail(e.pos.start, `expected ${sig.args.length} argument(s) in call to "${e.func}", got ${n}`);
          }
        }
        e.args.forEach((a, i) => {
          const want: ValueType = sig.args[Math.min(i, sig.args.length - 1)]!;
          this.check(a);
          const got = exprType(a);
          if (got !== want) this.fail(a.pos.start, `expected type ${typeName(want)} in call to function "${e.func}", got ${typeName(got)}`);
        });
        return;
      }
      case 'AggregateExpr': {
        this.check(e.expr);
        const t = exprType(e.expr);
        if (t !== 'vector') this.fail(e.expr.pos.start, `expected type instant vector in aggregation expression, got ${typeName(t)}`);
        if (e.param) {
          this.check(e.param);
          const want: ValueType = e.op === 'count_values' ? 'string' : 'scalar';
          const got = exprType(e.param);
          if (got !== want) this.fail(e.param.pos.start, `expected type ${typeName(want)} in aggregation parameter, got ${typeName(got)}`);
        }
        return;
      }
      case 'BinaryExpr': {
        this.check(e.lhs);
        this.check(e.rhs);
        const lt = exprType(e.lhs);
        const rt = exprType(e.rhs);
        const isCmp = COMPARISON_OPS.has(e.op);
        const isSet = SET_OPS.has(e.op);
        if (e.returnBool && !isCmp) this.fail(e.opPos ?? e.pos.start, 'bool modifier can only be used on comparison operators');
        if (isCmp && !e.returnBool && lt === 'scalar' && rt === 'scalar') this.fail(e.opPos ?? e.pos.start, 'comparisons between scalars must use BOOL modifier');
        const vm = e.matching!;
        if (isSet && vm.card === 'one-to-one') vm.card = 'many-to-many';
        if (vm.on) {
          for (const l of vm.labels) if (vm.include.includes(l)) this.fail(e.opPos ?? e.pos.start, `label "${l}" must not occur in ON and GROUP clause at once`);
        }
        if (lt !== 'scalar' && lt !== 'vector') this.fail(e.lhs.pos.start, 'binary expression must contain only scalar and instant vector types');
        if (rt !== 'scalar' && rt !== 'vector') this.fail(e.rhs.pos.start, 'binary expression must contain only scalar and instant vector types');
        if (lt !== 'vector' || rt !== 'vector') {
          if (vm.labels.length > 0 || vm.on) this.fail(e.pos.start, 'vector matching only allowed between instant vectors');
          delete e.matching;
        } else if (isSet) {
          if (vm.card === 'one-to-many' || vm.card === 'many-to-one') this.fail(e.pos.start, `no grouping allowed for "${e.op}" operation`);
        }
        if ((lt === 'scalar' || rt === 'scalar') && isSet) this.fail(e.pos.start, `set operator "${e.op}" not allowed in binary scalar expression`);
        return;
      }
    }
  }
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.type) {
    case '=': return m.value === '';
    case '!=': return m.value !== '';
    case '=~': return compileRegex(m.value).test('');
    case '!~': return !compileRegex(m.value).test('');
  }
}

const regexCache = new Map<string, RegExp>();

/** Compiles an RE2 pattern as Prometheus anchors it (`^(?:re)$`); maps the RE2-only syntax JS lacks. */
export function compileRegex(re: string): RegExp {
  let r = regexCache.get(re);
  if (r) return r;
  let src = re;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    flags = [...new Set(lead[1]!.replace('U', ''))].join('');
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<');
  r = new RegExp(`^(?:${src})$`, flags);
  if (regexCache.size > 1000) regexCache.clear();
  regexCache.set(re, r);
  return r;
}
