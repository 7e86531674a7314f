import { stringify } from 'yaml';
import type { Command } from 'commander';

export type Format = 'table' | 'json' | 'yaml';

/** Print rows as an aligned table (chosen columns) or the whole objects as JSON/YAML. */
export function print(rows: unknown, format: Format, columns?: string[], out: (s: string) => void = (s) => process.stdout.write(s)): void {
  if (format === 'json') return out(JSON.stringify(rows, null, 2) + '\n');
  if (format === 'yaml') return out(stringify(rows));
  const list = Array.isArray(rows) ? rows : [rows];
  const cols = columns ?? Object.keys((list[0] as object) ?? {});
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...list.map((r: any) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  out(line(cols.map((c) => c.toUpperCase())));
  for (const r of list as any[]) out(line(cols.map((c) => cell(r[c]))));
}

/** The -o/--output format of a command (global option). */
export function formatOf(cmd: Command): Format {
  return (cmd.optsWithGlobals() as { output?: Format }).output ?? 'table';
}
