// A port of the state machine of Prometheus' PromQL lexer (promql/parser/lex.go). lezer parses
// the syntax; this lexer only exists to report errors in Prometheus' words and positions: the
// lexer's own errors (bad durations, characters inside braces, ...) and the descriptions of
// unexpected tokens ("identifier \"x\"", "<op:+>", "<aggr:sum>", "<by>").
export type TokenKind =
  | 'EOF' | 'COMMA' | 'LEFT_PAREN' | 'RIGHT_PAREN' | 'LEFT_BRACE' | 'RIGHT_BRACE' | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET' | 'COLON' | 'EQL' | 'EQL_REGEX' | 'NEQ_REGEX' | 'AT' | 'NUMBER' | 'DURATION'
  | 'STRING' | 'IDENTIFIER' | 'METRIC_IDENTIFIER' | 'OPERATOR' | 'KEYWORD' | 'AGGREGATOR';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

export interface LexResult {
  tokens: Token[];
  /** the first lexer error: `at` orders it against parser errors, `pos` is where Prometheus reports it. */
  error?: { at: number; pos: number; message: string };
}

const AGGREGATORS = new Set(['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile']);
const KEYWORDS = new Set(['offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'start', 'end']);
const WORD_OPERATORS = new Set(['and', 'or', 'unless', 'atan2']);

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) => c !== undefined && (c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlphaNumeric = (c: string | undefined) => isAlpha(c) || isDigit(c);

/** Go's %q for a single character. */
function quoteRune(c: string | undefined): string {
  if (c === undefined) return "'\\x00'";
  if (c === "'") return "'\\''";
  if (c === '\\') return "'\\\\'";
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  return `'${c}'`;
}

export function lex(input: string): LexResult {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  let braceOpen = false;
  let bracketOpen = false;
  let gotColon = false;
  const peek = () => input[pos];
  const next = () => input[pos++];
  const accept = (valid: string): boolean => {
    const c = input[pos];
    if (c !== undefined && valid.includes(c)) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string) => {
    while (accept(valid));
  };
  const emit = (kind: TokenKind) => {
    tokens.push({ kind, text: input.slice(start, pos), pos: start });
    start = pos;
  };
  const fail = (message: string, at = start): LexResult => ({ tokens, error: { at, pos: start, message } });

  let lastWidth = 0;
  const scanNumber = (): boolean => {
    let digits = '0123456789';
    if (accept('0') && accept('xX')) digits = '0123456789abcdefABCDEF';
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (accept('eE')) {
      accept('+-');
      acceptRun('0123456789');
    }
    return !isAlphaNumeric(peek());
  };
  const acceptRemainingDuration = (): boolean => {
    if (!accept('smhdwy')) return false;
    accept('s');
    while (accept('0123456789')) {
      acceptRun('0123456789');
      if (!accept('smhdw')) return false;
      accept('s');
    }
    // Go's next() at the end of input consumes nothing, so the backup that follows moves nothing
    if (pos >= input.length) {
      lastWidth = 0;
      return true;
    }
    lastWidth = 1;
    return !isAlphaNumeric(input[pos++]);
  };

  for (;;) {
    if (braceOpen) {
      // lexInsideBraces
      if (input.startsWith('#', pos)) {
        while (pos < input.length && input[pos] !== '\n') pos++;
        start = pos;
        continue;
      }
      if (pos >= input.length) return fail('unexpected end of input inside braces');
      const c = next()!;
      if (isSpace(c)) { start = pos; continue; }
      if (isAlpha(c)) {
        while (isAlphaNumeric(peek())) pos++;
        emit('IDENTIFIER');
        continue;
      }
      if (c === ',') { emit('COMMA'); continue; }
      if (c === '"' || c === "'" || c === '`') {
        const err = lexString(c);
        if (err) return fail(err);
        emit('STRING');
        continue;
      }
      if (c === '=') {
        if (peek() === '~') { pos++; emit('EQL_REGEX'); continue; }
        emit('EQL');
        continue;
      }
      if (c === '!') {
        const n = next();
        if (n === '~') { emit('NEQ_REGEX'); continue; }
        if (n === '=') { emit('OPERATOR'); continue; }
        return fail(`unexpected character after '!' inside braces: ${quoteRune(n)}`);
      }
      if (c === '{') return fail(`unexpected left brace ${quoteRune(c)}`);
      if (c === '}') { emit('RIGHT_BRACE'); braceOpen = false; continue; }
      return fail(`unexpected character inside braces: ${quoteRune(c)}`);
    }
    // lexStatements
    if (input.startsWith('#', pos)) {
      while (pos < input.length && input[pos] !== '\n') pos++;
      start = pos;
      continue;
    }
    if (pos >= input.length) {
      if (parenDepth !== 0) return fail('unclosed left parenthesis');
      if (bracketOpen) return fail('unclosed left bracket');
      emit('EOF');
      return { tokens };
    }
    const c = next()!;
    if (isSpace(c)) { start = pos; continue; }
    switch (c) {
      case ',': emit('COMMA'); continue;
      case '*': case '/': case '%': case '+': case '-': case '^': emit('OPERATOR'); continue;
      case '=': {
        const t = peek();
        if (t === '=') { pos++; emit('OPERATOR'); continue; }
        if (t === '~') return fail(`unexpected character after '=': ${quoteRune(t)}`);
        emit('EQL');
        continue;
      }
      case '!': {
        const t = next();
        if (t === '=') { emit('OPERATOR'); continue; }
        return fail(`unexpected character after '!': ${quoteRune(t)}`);
      }
      case '<': case '>':
        if (peek() === '=') pos++;
        emit('OPERATOR');
        continue;
      case '"': case "'": case '`': {
        const err = lexString(c);
        if (err) return fail(err);
        emit('STRING');
        continue;
      }
      case '(': emit('LEFT_PAREN'); parenDepth++; continue;
      case ')': {
        const at = start;
        emit('RIGHT_PAREN');
        parenDepth--;
        // reported after the token, as Prometheus emits before checking
        if (parenDepth < 0) return fail(`unexpected right parenthesis ${quoteRune(c)}`, at);
        continue;
      }
      case '{': emit('LEFT_BRACE'); braceOpen = true; continue;
      case '[': {
        if (bracketOpen) return fail(`unexpected left bracket ${quoteRune(c)}`);
        gotColon = false;
        emit('LEFT_BRACKET');
        while (isSpace(peek() ?? '')) pos++;
        start = pos;
        bracketOpen = true;
        // lexDuration
        if (scanNumber()) return fail('missing unit character in duration');
        if (!acceptRemainingDuration()) return fail(`bad duration syntax: ${JSON.stringify(input.slice(start, pos))}`);
        pos -= lastWidth;
        emit('DURATION');
        continue;
      }
      case ']':
        if (!bracketOpen) return fail(`unexpected right bracket ${quoteRune(c)}`);
        emit('RIGHT_BRACKET');
        bracketOpen = false;
        continue;
      case '@': emit('AT'); continue;
      default:
        break;
    }
    if (isDigit(c) || (c === '.' && isDigit(peek()))) {
      pos--;
      // lexNumberOrDuration
      if (scanNumber()) { emit('NUMBER'); continue; }
      if (acceptRemainingDuration()) {
        pos -= lastWidth;
        emit('DURATION');
        continue;
      }
      return fail(`bad number or duration syntax: ${JSON.stringify(input.slice(start, pos))}`);
    }
    if (isAlpha(c) || c === ':') {
      if (!bracketOpen) {
        while (isAlphaNumeric(peek()) || peek() === ':') pos++;
        const word = input.slice(start, pos);
        const lw = word.toLowerCase();
        if (lw === 'inf' || lw === 'nan') emit('NUMBER');
        else if (AGGREGATORS.has(lw)) emit('AGGREGATOR');
        else if (KEYWORDS.has(lw)) emit('KEYWORD');
        else if (WORD_OPERATORS.has(lw)) emit('OPERATOR');
        else emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
        continue;
      }
      if (gotColon) return fail(`unexpected colon ${quoteRune(c)}`);
      emit('COLON');
      gotColon = true;
      // after the colon Prometheus lexes a duration in statement mode
      continue;
    }
    return fail(`unexpected character: ${quoteRune(c)}`);
  }

  function lexString(q: string): string | undefined {
    for (;;) {
      if (pos >= input.length) return q === '`' ? 'unterminated raw string' : 'unterminated quoted string';
      const c = next()!;
      if (q !== '`' && c === '\\') {
        pos++;
        continue;
      }
      if (q !== '`' && c === '\n') return 'unterminated quoted string';
      if (c === q) return undefined;
    }
  }
}

/** Go's %.10q... for long token values. */
function goQuote(s: string): string {
  const short = [...s].length > 10;
  const body = short ? [...s].slice(0, 10).join('') : s;
  return JSON.stringify(body) + (short ? '...' : '');
}

/** Prometheus' Item.desc(): how an unexpected token is named in a syntax error. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'EOF': return 'end of input';
    case 'IDENTIFIER': return `identifier ${JSON.stringify(t.text)}`;
    case 'METRIC_IDENTIFIER': return `metric identifier ${JSON.stringify(t.text)}`;
    case 'NUMBER': return `number ${goQuote(t.text)}`;
    case 'DURATION': return `duration ${goQuote(t.text)}`;
    case 'STRING': return `string ${goQuote(t.text)}`;
    case 'OPERATOR': return `<op:${t.text.toLowerCase()}>`;
    case 'KEYWORD': {
      const k = t.text.toLowerCase();
      // start/end are preprocessors, not keywords, in Prometheus' item types
      return k === 'start' || k === 'end' ? JSON.stringify(t.text) : `<${k}>`;
    }
    case 'AGGREGATOR': return `<aggr:${t.text.toLowerCase()}>`;
    case 'AT': return '"<Item 57385>" <op:@>';
    default: return JSON.stringify(t.text);
  }
}
