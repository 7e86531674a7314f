// Shared parsing helpers: YAML with errors that carry line numbers, zod issues turned into one
// InputError naming the document and field path, and the SREWorks habit of writing unquoted Jinja.
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { oamInput } from '../errors.js';

/** `spec.components[0].traits[1].type` from a zod/ajv path. */
export function formatPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  let out = base;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Parse with a zod schema; the first issues become one error naming the field paths. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, document: string, base: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => ({ field: formatPath(base, i.path), message: i.message }));
  const first = issues[0];
  throw oamInput('OAM_PARSE_FIELD', `${document}: ${first.field}: ${first.message}${issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : ''}`, {
    document,
    field: first.field,
    issues,
  });
}

/**
 * SREWorks deploy documents are Jinja templates first: `name: {{ options.clusterId }}` is not
 * valid YAML (a flow mapping). Quote such plain scalars so the template survives parsing and is
 * rendered later with the real values.
 */
export function quoteJinjaScalars(text: string): string {
  if (!text.includes('{{') && !text.includes('{%')) return text;
  const lines = text.split('\n');
  let blockIndent = -1; // inside a `|` / `>` block scalar deeper than this indent: leave it alone
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(line) || /^\s*-\s+[|>][-+0-9]*\s*$/.test(line)) {
      blockIndent = indent;
      continue;
    }
    const m = /^(\s*(?:-\s+)?(?:[^\s:#'"{][^:#\n]*:\s+)?)((?:\{\{|\{%).*?)\s*$/.exec(line);
    if (!m || !/\S/.test(m[1])) continue; // a bare line is not a scalar
    lines[i] = `${m[1]}'${m[2].replace(/'/g, "''")}'`;
  }
  return lines.join('\n');
}

export interface YamlDoc {
  value: unknown;
  index: number;
}

export function parseYamlDocuments(text: string, document: string): YamlDoc[] {
  const docs = parseAllDocuments(quoteJinjaScalars(text), { prettyErrors: true, uniqueKeys: true });
  const out: YamlDoc[] = [];
  for (const [index, d] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    if (d.errors.length) {
      const e = d.errors[0];
      const line = e.linePos?.[0];
      throw oamInput('OAM_PARSE_YAML', `${document}: YAML error${line ? ` at line ${line.line}, column ${line.col}` : ''}: ${e.message.split('\n')[0]}`, {
        document,
        line: line?.line,
        column: line?.col,
      });
    }
    const value = d.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push({ value, index });
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
