// PromQL text -> typed AST. Syntax from @prometheus-io/lezer-promql; the semantic checks and their
// wording follow Prometheus' parser (checkAST) so API clients see the errors they know.
import { parser as lezer } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import type { Matcher, MatchType } from '../storage.js';
import {
  COMPARISON_OPS, FUNCTION_SIGNATURES, SET_OPS, exprType, typeName,
  type AggregateExpr, type AggregateOp, type AtModifier, type BinaryExpr, type BinaryOp, type Expr,
  type PosRange, type ValueType, type VectorMatching, type VectorSelector,
} from './ast.js';
import { describeToken, lex, type Token } from './lexer.js';

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


export function parse(query: string): Expr {
  const { tokens, error: lexError } = lex(query);
  if (!lexError && tokens.length === 1) throw new ParseError(query, 0, 'no expression found in input');
  // Prometheus reports the first error it meets while reading left to right: a lexer error when
  // the lexer reaches it, a syntax error at the first token that does not fit, an unknown
  // function when its call is complete. Collect candidates and report the earliest.
  const candidates: { at: number; pos: number; message: string }[] = [];
  if (lexError) candidates.push(lexError);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'IDENTIFIER') continue;
    if (tokens[i + 1]!.kind !== 'LEFT_PAREN' || t.text in FUNCTION_SIGNATURES) continue;
    let depth = 0;
    let close = Infinity;
    for (let j = i + 1; j < tokens.length; j++) {
      if (tokens[j]!.kind === 'LEFT_PAREN') depth++;
      else if (tokens[j]!.kind === 'RIGHT_PAREN' && --depth === 0) { close = tokens[j]!.pos; break; }
    }
    candidates.push({ at: close, pos: t.pos, message: `unknown function with name "${t.text}"` });
  }
  // The grammar knows Prometheus 3's name for holt_winters only, and rejects unknown function names
  // outright (Prometheus parses the call, then reports the name): lezer reads a copy with those
  // names replaced, and positions are mapped back to the original text.
  const renames: { pos: number; len: number; to: string }[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'IDENTIFIER' || tokens[i + 1]!.kind !== 'LEFT_PAREN') continue;
    if (t.text === 'holt_winters') renames.push({ pos: t.pos, len: t.text.length, to: HW_ALIAS });
    else if (!(t.text in FUNCTION_SIGNATURES)) renames.push({ pos: t.pos, len: t.text.length, to: 'abs' });
  }
  let text = query;
  for (let i = renames.length - 1; i >= 0; i--) {
    const r = renames[i]!;
    text = text.slice(0, r.pos) + r.to + text.slice(r.pos + r.len);
  }
  // "2." is a number to Go's ParseFloat but not to the grammar: blank the dot (same length)
  for (const t of tokens) {
    if (t.kind === 'NUMBER' && /^\d+\.$/.test(t.text)) {
      const dot = t.pos + t.text.length - 1;
      let shifted = dot;
      for (const r of renames) if (r.pos < t.pos) shifted += r.to.length - r.len;
      text = `${text.slice(0, shifted)} ${text.slice(shifted + 1)}`;
    }
  }
  const shifts: { at: number; delta: number }[] = [];
  let acc = 0;
  for (const r of renames) {
    shifts.push({ at: r.pos + acc, delta: r.to.length - r.len });
    acc += r.to.length - r.len;
  }
  const mapPos = (p: number): number => {
    let out = p;
    for (const sh of shifts) {
      if (p <= sh.at) break;
      out -= sh.delta > 0 ? Math.min(sh.delta, p - sh.at) : sh.delta;
    }
    return out;
  };
  // token rules the lezer grammar is more lenient about than Prometheus 2.x
  let bracket = false;
  let afterColon = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind === 'DURATION') {
      const d = parseDuration(t.text);
      if (d === undefined) candidates.push({ at: t.pos, pos: t.pos, message: `not a valid duration string: ${JSON.stringify(t.text)}` });
      else if (d === 0) candidates.push({ at: t.pos, pos: t.pos, message: 'duration must be greater than 0' });
    }
    const afterOffset = prev?.kind === 'KEYWORD' && prev.text.toLowerCase() === 'offset';
    const afterOffsetSign = prev?.kind === 'OPERATOR' && (prev.text === '-' || prev.text === '+')
      && tokens[i - 2]?.kind === 'KEYWORD' && tokens[i - 2]!.text.toLowerCase() === 'offset';
    if (afterOffset && t.kind !== 'DURATION' && !(t.kind === 'OPERATOR' && (t.text === '-' || t.text === '+'))) {
      candidates.push({ at: t.pos, pos: t.pos, message: `unexpected ${describeToken(t)} in offset, expected duration` });
    }
    if (afterOffsetSign && t.kind !== 'DURATION') {
      candidates.push({ at: t.pos, pos: t.pos, message: `unexpected ${describeToken(t)} in offset, expected duration` });
    }
    // Prometheus 2.x has no durations as numbers: outside brackets a duration only follows offset
    if (t.kind === 'DURATION' && !bracket && !afterOffset && !afterOffsetSign) {
      candidates.push({ at: t.pos, pos: t.pos, message: `unexpected ${describeToken(t)}${errorContext(tokens, i)}` });
    }
    if (bracket && prev?.kind === 'DURATION' && tokens[i - 2]?.kind === 'LEFT_BRACKET' && t.kind !== 'COLON' && t.kind !== 'RIGHT_BRACKET') {
      candidates.push({ at: t.pos, pos: t.pos, message: `unexpected ${describeToken(t)} in subquery or range, expected ":" or "]"` });
    }
    if (t.kind === 'METRIC_IDENTIFIER' && prev?.kind === 'LEFT_PAREN' || (t.kind === 'METRIC_IDENTIFIER' && prev?.kind === 'COMMA')) {
      if (errorContext(tokens, i).startsWith(' in grouping opts')) {
        candidates.push({ at: t.pos, pos: t.pos, message: `unexpected ${describeToken(t)} in grouping opts, expected label` });
      }
    }
    if (t.kind === 'LEFT_BRACKET') bracket = true;
    else if (t.kind === 'RIGHT_BRACKET') bracket = false;
    if (bracket && afterColon && t.kind !== 'DURATION' && t.kind !== 'RIGHT_BRACKET') {
      candidates.push({ at: t.pos, pos: t.pos, message: `unexpected ${describeToken(t)} in subquery selector, expected duration or "]"` });
    }
    afterColon = bracket && t.kind === 'COLON';
  }
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
    const idx = tokens.findIndex((t) => t.pos >= at);
    const tok = idx >= 0 ? tokens[idx]! : undefined;
    if (tok) {
      const prev = tokens[idx - 1];
      if (prev?.kind === 'COMMA' && inCallArgs(tokens, idx)) {
        candidates.push({ at: prev.pos, pos: prev.pos, message: 'trailing commas not allowed in function call args' });
      } else {
        candidates.push({ at: tok.pos, pos: tok.pos, message: `unexpected ${describeToken(tok)}${errorContext(tokens, idx)}` });
      }
    } else if (!lexError) {
      candidates.push({ at: query.length, pos: query.length, message: 'unexpected end of input' });
    }
  }
  if (candidates.length) {
    // earliest wins; at the same place the lexer speaks first
    const first = candidates.reduce((a, b) => (b.at < a.at ? b : a));
    throw new ParseError(query, first.pos, first.message);
  }
  const b = new Builder(text, query, mapPos);
  const top = tree.topNode;
  const children = kids(top);
  if (children.length !== 1) throw new ParseError(query, 0, 'no expression found in input');
  const expr = b.expr(children[0]!);
  b.check(expr);
  return expr;
}

const GROUPING_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** The yacc error context Prometheus appends (" in label matching, expected ..."), for common cases. */
function errorContext(tokens: Token[], idx: number): string {
  const prev = tokens[idx - 1];
  const kw = (t: Token | undefined) => (t?.kind === 'KEYWORD' ? t.text.toLowerCase() : '');
  // @ <timestamp> | @ start() | @ end()
  if (prev?.kind === 'AT') return ' in @, expected timestamp';
  if ((kw(prev) === 'start' || kw(prev) === 'end') && tokens[idx - 2]?.kind === 'AT') return ' in @, expected timestamp';
  if (prev?.kind === 'LEFT_PAREN' && (kw(tokens[idx - 2]) === 'start' || kw(tokens[idx - 2]) === 'end') && tokens[idx - 3]?.kind === 'AT') {
    return ' in @, expected timestamp';
  }
  // inside braces: what the label matcher needed next
  let depthBrace = 0;
  for (let i = 0; i < idx; i++) {
    if (tokens[i]!.kind === 'LEFT_BRACE') depthBrace++;
    else if (tokens[i]!.kind === 'RIGHT_BRACE') depthBrace--;
  }
  if (depthBrace > 0 && prev) {
    if (prev.kind === 'IDENTIFIER') return ' in label matching, expected label matching operator';
    if (prev.kind === 'EQL' || prev.kind === 'EQL_REGEX' || prev.kind === 'NEQ_REGEX' || (prev.kind === 'OPERATOR' && prev.text === '!=')) return ' in label matching, expected string';
    if (prev.kind === 'STRING') return ' in label matching, expected "," or "}"';
    if (prev.kind === 'LEFT_BRACE' || prev.kind === 'COMMA') return ' in label matching, expected identifier or "}"';
  }
  // grouping clause: by / without / on / ignoring / group_left / group_right
  const groupingPlace = (i: number): boolean => {
    const k = kw(tokens[i]);
    if (!GROUPING_KEYWORDS.has(k)) return false;
    if (k !== 'by' && k !== 'without') return true;
    const before = tokens[i - 1]?.kind;
    return before === 'AGGREGATOR' || before === 'RIGHT_PAREN';
  };
  if (groupingPlace(idx - 1)) return ' in grouping opts, expected "("';
  const stack: number[] = [];
  for (let i = 0; i < idx; i++) {
    if (tokens[i]!.kind === 'LEFT_PAREN') stack.push(i);
    else if (tokens[i]!.kind === 'RIGHT_PAREN') stack.pop();
  }
  const open = stack[stack.length - 1];
  if (open !== undefined && groupingPlace(open - 1)) {
    return prev?.kind === 'LEFT_PAREN' || prev?.kind === 'COMMA' ? ' in grouping opts, expected label' : ' in grouping opts, expected "," or ")"';
  }
  // aggregation: anywhere inside its parentheses (yacc's error recovery unwinds to it), or
  // right after its grouping clause
  const isAggOpen = (o: number): boolean => {
    if (tokens[o - 1]?.kind === 'AGGREGATOR') return true;
    if (tokens[o - 1]?.kind !== 'RIGHT_PAREN') return false;
    let j = o - 1;
    let d = 0;
    for (; j >= 0; j--) {
      if (tokens[j]!.kind === 'RIGHT_PAREN') d++;
      else if (tokens[j]!.kind === 'LEFT_PAREN' && --d === 0) break;
    }
    return GROUPING_KEYWORDS.has(kw(tokens[j - 1])) && tokens[j - 2]?.kind === 'AGGREGATOR';
  };
  if (stack.some(isAggOpen)) return ' in aggregation';
  if (prev?.kind === 'DURATION' && tokens[idx - 2]?.kind === 'LEFT_BRACKET') return ' in subquery or range, expected ":" or "]"';
  if (prev?.kind === 'RIGHT_PAREN') {
    let j = idx - 1;
    let d = 0;
    for (; j >= 0; j--) {
      if (tokens[j]!.kind === 'RIGHT_PAREN') d++;
      else if (tokens[j]!.kind === 'LEFT_PAREN' && --d === 0) break;
    }
    if (GROUPING_KEYWORDS.has(kw(tokens[j - 1])) && tokens[j - 2]?.kind === 'AGGREGATOR') return ' in aggregation';
  }
  return '';
}

/** Whether token idx sits directly in the argument list of a call or aggregation (not in braces). */
function inCallArgs(tokens: Token[], idx: number): boolean {
  const stack: [Token, Token | undefined][] = [];
  for (let i = 0; i < idx; i++) {
    const t = tokens[i]!;
    if (t.kind === 'LEFT_PAREN' || t.kind === 'LEFT_BRACE' || t.kind === 'LEFT_BRACKET') stack.push([t, tokens[i - 1]]);
    else if (t.kind === 'RIGHT_PAREN' || t.kind === 'RIGHT_BRACE' || t.kind === 'RIGHT_BRACKET') stack.pop();
  }
  const top = stack[stack.length - 1];
  if (!top || top[0].kind !== 'LEFT_PAREN' || !top[1]) return false;
  const opener = top[1];
  // the token before "(" names a function, an aggregation, or closes an aggregation's grouping
  return opener.kind === 'IDENTIFIER' || opener.kind === 'AGGREGATOR' || opener.kind === 'RIGHT_PAREN';
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

const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1, and: 2, unless: 2, '==': 3, '!=': 3, '>': 3, '<': 3, '>=': 3, '<=': 3,
  '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, atan2: 5, '^': 6,
};

class Builder {
  /** binary expressions whose right operand took a postfix form: their precedence needs repair. */
  readonly rebalance = new WeakSet<Expr>();

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
      // lezer binds these postfix forms to a whole binary/unary expression on their left, PromQL
      // to its rightmost operand: `a + b offset 5m` is `a + (b offset 5m)`
      case 'MatrixSelector': {
        const rangeMs = this.duration(c[1]!);
        return this.postfix(this.expr(c[0]!), (inner) => {
          if (inner.type !== 'VectorSelector') this.fail(c[0]!.to, 'ranges only allowed for vector selectors');
          if (inner.offsetMs !== 0 || inner.at) this.fail(c[0]!.to, 'no offset modifiers allowed before range');
          if (rangeMs <= 0) this.fail(c[1]!.from, 'duration must be greater than 0');
          return { type: 'MatrixSelector', vector: inner, rangeMs, pos: { start: inner.pos.start, end: n.to } };
        });
      }
      case 'SubqueryExpr': {
        const rangeMs = this.duration(c[1]!);
        const stepMs = c[2] ? this.duration(c[2]) : 0;
        if (rangeMs <= 0) this.fail(c[1]!.from, 'duration must be greater than 0');
        if (c[2] && stepMs <= 0) this.fail(c[2].from, 'duration must be greater than 0');
        return this.postfix(this.expr(c[0]!), (inner) => (
          { type: 'SubqueryExpr', expr: inner, rangeMs, stepMs, offsetMs: 0, pos: { start: inner.pos.start, end: n.to } }
        ));
      }
      case 'OffsetExpr': {
        const off = this.duration(c[c.length - 1]!);
        return this.postfix(this.expr(c[0]!), (inner) => {
          const target = this.modifierTarget(inner, n, 'offset');
          if (target.offsetMs !== 0) this.fail(inner.pos.start, 'offset may not be set multiple times');
          target.offsetMs = off;
          return { ...inner, pos: { start: inner.pos.start, end: n.to } };
        });
      }
      case 'StepInvariantExpr': {
        const at = this.atValue(c.slice(2));
        return this.postfix(this.expr(c[0]!), (inner) => {
          const target = this.modifierTarget(inner, n, '@');
          if (target.at) this.fail(inner.pos.start, '@ <timestamp> may not be set multiple times');
          target.at = at;
          return { ...inner, pos: { start: inner.pos.start, end: n.to } };
        });
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

  /** Applies a postfix form to the rightmost operand of binary and unary expressions. */
  postfix(e: Expr, f: (operand: Expr) => Expr): Expr {
    if (e.type === 'BinaryExpr') {
      const out: BinaryExpr = { ...e, rhs: this.postfix(e.rhs, f) };
      this.rebalance.add(out);
      return out;
    }
    if (e.type === 'UnaryExpr') return { ...e, expr: this.postfix(e.expr, f) };
    return f(e);
  }

  /** the selector or subquery an offset / @ applies to (Prometheus forbids them elsewhere). */
  modifierTarget(e: Expr, _n: SyntaxNode, what: string): VectorSelector | Extract<Expr, { type: 'SubqueryExpr' }> {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return e;
    if (e.type === 'MatrixSelector') return e.vector;
    const mod = what === 'offset' ? 'offset' : '@';
    return this.fail(e.pos.start, `${mod} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
  }

  atValue(c: SyntaxNode[]): AtModifier {
    const n = c[c.length - 1]!;
    if (n.name === 'AtModifierPreprocessors') {
      return kids(n)[0]!.name === 'AtStart' ? { kind: 'start' } : { kind: 'end' };
    }
    const raw = this.text(n);
    const sign = /^[-+]/.test(raw) ? raw[0] : '';
    let v = parseNumber(sign ? raw.slice(1).trim() : raw);
    if (v === undefined) return this.fail(n.from, `bad number: "${raw}"`);
    if (sign === '-') v = -v;
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
                this.fail(m.from, `error parsing regexp: ${goRegexError(value, e as Error)}`);
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
    return this.rotate(lhs, { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching, pos: this.pr(n), opPos: opNode.from });
  }

  /**
   * `a + b offset 5m * 2` reaches us as `(a + (b offset 5m)) * 2`; PromQL means `a + ((b offset 5m) * 2)`.
   * Push a tighter operator down the right spine of a rebalanced left operand.
   */
  rotate(lhs: Expr, node: BinaryExpr): Expr {
    if (lhs.type !== 'BinaryExpr' || !this.rebalance.has(lhs)) return node;
    const p = PRECEDENCE[lhs.op];
    const q = PRECEDENCE[node.op];
    if (!(p < q || (p === q && node.op === '^'))) return node;
    const inner = this.rotate(lhs.rhs, { ...node, lhs: lhs.rhs });
    const out: BinaryExpr = { ...lhs, rhs: inner };
    this.rebalance.add(out);
    return out;
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
        if (t !== 'scalar' && t !== 'vector') this.fail(e.pos.start, `unary expression only allowed on expressions of type scalar or instant vector, got "${typeName(t)}"`);
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

/** Go's regexp/syntax wording for the common mistakes (Prometheus compiles `^(?:re)$`). */
function goRegexError(re: string, e: Error): string {
  const anchored = `^(?:${re})$`;
  const msg = e.message;
  if (/Unterminated character class/.test(msg)) {
    const at = anchored.lastIndexOf('[');
    return `missing closing ]: \`${anchored.slice(at)}\``;
  }
  if (/Unterminated group/.test(msg)) return `missing closing ): \`${anchored}\``;
  if (/Unmatched '\)'/.test(msg)) return `unexpected ): \`${anchored}\``;
  const nested = /Nothing to repeat/.test(msg) ? /[*+?][*+]/.exec(re) : null;
  if (nested) return `invalid nested repetition operator: \`${nested[0]}\``;
  const rep = /Nothing to repeat/.test(msg) ? /(^|[^\\])([*+?])/.exec(re) : null;
  if (rep) return `missing argument to repetition operator: \`${rep[2]}\``;
  return msg;
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
