// A small PromQL tokenizer used only to word syntax errors the way Prometheus does (the lezer
// grammar recovers from errors silently, it does not say what it expected).
export interface Token {
  kind: 'number' | 'identifier' | 'string' | 'op' | 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'lbracket' | 'rbracket' | 'comma' | 'colon' | 'at' | 'eof';
  text: string;
  pos: number;
}

export class LexError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

const OPS = ['==', '!=', '>=', '<=', '=~', '!~', '+', '-', '*', '/', '%', '^', '>', '<', '='];

/** Tokenizes the whole input; throws LexError with Prometheus' lexer wording. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const depth: { ch: string; pos: number }[] = [];
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') { while (i < input.length && input[i] !== '\n') i++; continue; }
    const start = i;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < input.length && input[i] !== c) {
        if (c !== '`' && input[i] === '\\') i++;
        else if (c !== '`' && input[i] === '\n') break;
        i++;
      }
      if (i >= input.length || input[i] !== c) {
        throw new LexError(c === '`' ? 'unterminated raw string' : 'unterminated quoted string', start);
      }
      i++;
      out.push({ kind: 'string', text: input.slice(start, i), pos: start });
      continue;
    }
    if (/[0-9.]/.test(c) && (c !== '.' || /[0-9]/.test(input[i + 1] ?? ''))) {
      while (i < input.length && /[0-9a-zA-Z_.]/.test(input[i]!)) {
        if ((input[i] === 'e' || input[i] === 'E') && (input[i + 1] === '+' || input[i + 1] === '-') && !/^0x/i.test(input.slice(start, i))) i++;
        i++;
      }
      out.push({ kind: 'number', text: input.slice(start, i), pos: start });
      continue;
    }
    if (/[a-zA-Z_:]/.test(c)) {
      // ':' inside brackets is the subquery separator, not part of a name
      if (c === ':' && depth.length && depth[depth.length - 1]!.ch === '[') {
        i++;
        out.push({ kind: 'colon', text: ':', pos: start });
        continue;
      }
      while (i < input.length && /[a-zA-Z0-9_:]/.test(input[i]!)) {
        if (input[i] === ':' && depth.length && depth[depth.length - 1]!.ch === '[') break;
        i++;
      }
      out.push({ kind: 'identifier', text: input.slice(start, i), pos: start });
      continue;
    }
    if (c === '(' || c === '{' || c === '[') {
      depth.push({ ch: c, pos: i });
      i++;
      out.push({ kind: c === '(' ? 'lparen' : c === '{' ? 'lbrace' : 'lbracket', text: c, pos: start });
      continue;
    }
    if (c === ')' || c === '}' || c === ']') {
      const want = c === ')' ? '(' : c === '}' ? '{' : '[';
      const top = depth[depth.length - 1];
      if (!top || top.ch !== want) {
        const what = c === ')' ? 'right parenthesis' : c === '}' ? 'right brace' : 'right bracket';
        // Prometheus' lexer reports this after consuming the character
        throw new LexError(`unexpected ${what} '${c}'`, i + 1);
      }
      depth.pop();
      i++;
      out.push({ kind: c === ')' ? 'rparen' : c === '}' ? 'rbrace' : 'rbracket', text: c, pos: start });
      continue;
    }
    if (c === ',') { i++; out.push({ kind: 'comma', text: c, pos: start }); continue; }
    if (c === '@') { i++; out.push({ kind: 'at', text: c, pos: start }); continue; }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) { i += op.length; out.push({ kind: 'op', text: op, pos: start }); continue; }
    throw new LexError(`unexpected character: '${c}'`, i);
  }
  const open = depth[depth.length - 1];
  if (open) {
    const what = open.ch === '(' ? 'unclosed left parenthesis' : open.ch === '{' ? 'unexpected end of input inside braces' : 'unclosed left bracket';
    throw new LexError(what, input.length);
  }
  out.push({ kind: 'eof', text: '', pos: input.length });
  return out;
}

/** Prometheus' description of an unexpected token (yacc error wording). */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of input';
    case 'number': return `number "${t.text}"`;
    case 'identifier': return `identifier "${t.text}"`;
    case 'string': return `string ${JSON.stringify(t.text)}`;
    case 'op': return `<op:${t.text}>`;
    case 'lparen': return 'left parenthesis "("';
    case 'rparen': return 'right parenthesis ")"';
    case 'lbrace': return 'left brace "{"';
    case 'rbrace': return 'right brace "}"';
    case 'lbracket': return 'left bracket "["';
    case 'rbracket': return 'right bracket "]"';
    case 'comma': return '","';
    case 'colon': return '":"';
    case 'at': return '"@"';
  }
}
