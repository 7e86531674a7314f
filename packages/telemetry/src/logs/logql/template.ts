import { InputError } from '@sreworks/kernel';

/**
 * A safe subset of Go text/template for `line_format`: `{{.label}}`, string literals, pipes into
 * a fixed set of functions, `{{if …}}…{{else}}…{{end}}`, and `{{- -}}` trimming. Templates are
 * compiled to a small tree and interpreted; nothing is ever evaluated as code.
 */

type Arg = { kind: 'field'; name: string } | { kind: 'string'; value: string } | { kind: 'number'; value: number };
interface Pipeline {
  head: Arg | { kind: 'call'; fn: string; args: Arg[] };
  calls: { fn: string; args: Arg[] }[];
}
type Node = { kind: 'text'; text: string } | { kind: 'action'; pipe: Pipeline } | { kind: 'if'; cond: Pipeline; then: Node[]; else: Node[] };

const FUNCS: Record<string, (args: string[]) => string> = {
  ToUpper: ([s]) => (s ?? '').toUpperCase(),
  ToLower: ([s]) => (s ?? '').toLowerCase(),
  upper: ([s]) => (s ?? '').toUpperCase(),
  lower: ([s]) => (s ?? '').toLowerCase(),
  title: ([s]) => (s ?? '').replace(/\b\w/g, (c) => c.toUpperCase()),
  TrimSpace: ([s]) => (s ?? '').trim(),
  trim: ([s]) => (s ?? '').trim(),
  trimPrefix: ([p, s]) => ((s ?? '').startsWith(p ?? '') ? (s ?? '').slice((p ?? '').length) : (s ?? '')),
  trimSuffix: ([p, s]) => ((s ?? '').endsWith(p ?? '') && p ? (s ?? '').slice(0, -p.length) : (s ?? '')),
  replace: ([a, b, s]) => (s ?? '').split(a ?? '').join(b ?? ''),
  default: ([d, s]) => (s === undefined || s === '' ? (d ?? '') : s),
  len: ([s]) => String([...(s ?? '')].length),
  substr: ([a, b, s]) => (s ?? '').slice(Number(a), Number(b)),
  contains: ([sub, s]) => String((s ?? '').includes(sub ?? '')),
  eq: ([a, b]) => String(a === b),
};

export class TemplateError extends InputError {
  constructor(message: string, pos: number) {
    super(`line_format template: ${message} (at offset ${pos})`, { field: 'query', position: pos }, 'LOGQL_TEMPLATE');
  }
}

export interface CompiledTemplate {
  render(labels: Record<string, string>, line: string, tsMs: number): string;
}

export function compileTemplate(src: string): CompiledTemplate {
  const tokens: { text?: string; action?: string; pos: number }[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      tokens.push({ text: src.slice(i), pos: i });
      break;
    }
    let text = src.slice(i, open);
    let inner = open + 2;
    if (src[inner] === '-' && src[inner + 1] === ' ') {
      text = text.trimEnd();
      inner += 2;
    }
    const close = src.indexOf('}}', inner);
    if (close < 0) throw new TemplateError('unclosed action "{{"', open);
    let action = src.slice(inner, close);
    let after = close + 2;
    if (action.endsWith(' -')) {
      action = action.slice(0, -2);
      while (after < src.length && /\s/.test(src[after]!)) after++;
    }
    if (text) tokens.push({ text, pos: i });
    tokens.push({ action: action.trim(), pos: open });
    i = after;
  }
  let k = 0;
  const block = (inIf: boolean): { nodes: Node[]; end: 'end' | 'else' | 'eof' } => {
    const nodes: Node[] = [];
    while (k < tokens.length) {
      const t = tokens[k++]!;
      if (t.text !== undefined) {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const a = t.action!;
      if (a === 'end' || a === 'else') {
        if (!inIf) throw new TemplateError(`unexpected {{${a}}}`, t.pos);
        return { nodes, end: a };
      }
      if (a.startsWith('/*')) continue;
      if (a.startsWith('if ')) {
        const cond = parsePipeline(a.slice(3), t.pos);
        const thenPart = block(true);
        let elsePart: Node[] = [];
        if (thenPart.end === 'else') {
          const e = block(true);
          if (e.end !== 'end') throw new TemplateError('missing {{end}}', t.pos);
          elsePart = e.nodes;
        } else if (thenPart.end !== 'end') throw new TemplateError('missing {{end}}', t.pos);
        nodes.push({ kind: 'if', cond, then: thenPart.nodes, else: elsePart });
        continue;
      }
      nodes.push({ kind: 'action', pipe: parsePipeline(a, t.pos) });
    }
    if (inIf) return { nodes, end: 'eof' };
    return { nodes, end: 'eof' };
  };
  const root = block(false).nodes;
  return {
    render(labels, line, tsMs) {
      const ctx = { labels, line, tsMs };
      return renderNodes(root, ctx);
    },
  };
}

interface Ctx {
  labels: Record<string, string>;
  line: string;
  tsMs: number;
}

function renderNodes(nodes: Node[], ctx: Ctx): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'action') out += evalPipe(n.pipe, ctx);
    else {
      const v = evalPipe(n.cond, ctx);
      out += renderNodes(v !== '' && v !== 'false' && v !== '0' ? n.then : n.else, ctx);
    }
  }
  return out;
}

function argValue(a: Arg, ctx: Ctx): string {
  if (a.kind === 'field') return ctx.labels[a.name] ?? '';
  if (a.kind === 'string') return a.value;
  return String(a.value);
}

function evalPipe(p: Pipeline, ctx: Ctx): string {
  let v: string;
  if (p.head.kind === 'call') v = callFn(p.head.fn, p.head.args.map((a) => argValue(a, ctx)), ctx);
  else v = argValue(p.head, ctx);
  for (const c of p.calls) v = callFn(c.fn, [...c.args.map((a) => argValue(a, ctx)), v], ctx);
  return v;
}

function callFn(fn: string, args: string[], ctx: Ctx): string {
  if (fn === '__line__') return ctx.line;
  if (fn === '__timestamp__') return new Date(ctx.tsMs).toISOString();
  return FUNCS[fn]!(args);
}

function parsePipeline(text: string, pos: number): Pipeline {
  const parts = splitPipes(text, pos);
  const cmds = parts.map((p) => parseCommand(p, pos));
  const [head, ...rest] = cmds;
  if (!head) throw new TemplateError('empty action', pos);
  const headNode = head.fn ? { kind: 'call' as const, fn: head.fn, args: head.args } : head.args[0];
  if (!headNode) throw new TemplateError('empty action', pos);
  return {
    head: headNode,
    calls: rest.map((c) => {
      if (!c.fn) throw new TemplateError('a pipe must lead into a function', pos);
      return { fn: c.fn, args: c.args };
    }),
  };
}

function splitPipes(text: string, pos: number): string[] {
  const parts: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      cur += c;
      if (c === '\\' && q === '"') {
        cur += text[++i] ?? '';
      } else if (c === q) q = null;
      continue;
    }
    if (c === '"' || c === '`') q = c;
    if (c === '|') {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (q) throw new TemplateError('unterminated string', pos);
  parts.push(cur);
  return parts;
}

function parseCommand(text: string, pos: number): { fn?: string; args: Arg[] } {
  const words: Arg[] = [];
  let fn: string | undefined;
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\.[A-Za-z_][A-Za-z0-9_]*|\.)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    last = re.lastIndex;
    if (m[1] !== undefined) words.push({ kind: 'string', value: JSON.parse(`"${m[1]}"`) as string });
    else if (m[2] !== undefined) words.push({ kind: 'string', value: m[2] });
    else if (m[3] !== undefined) words.push({ kind: 'field', name: m[3].slice(1) });
    else if (m[4] !== undefined) words.push({ kind: 'number', value: Number(m[4]) });
    else if (m[5] !== undefined) {
      if (words.length > 0 || fn) throw new TemplateError(`unexpected identifier ${m[5]}`, pos);
      if (m[5] === '__line__' || m[5] === '__timestamp__') fn = m[5];
      else if (FUNCS[m[5]]) fn = m[5];
      else throw new TemplateError(`function "${m[5]}" not defined (available: ${Object.keys(FUNCS).join(', ')}, __line__, __timestamp__)`, pos);
    }
  }
  if (text.slice(last).trim() !== '') throw new TemplateError(`cannot parse ${JSON.stringify(text.slice(last).trim())}`, pos);
  if (!fn && words.length > 1) throw new TemplateError('a value cannot take arguments', pos);
  return { ...(fn ? { fn } : {}), args: words };
}
