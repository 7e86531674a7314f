// Line diff model for DiffViewer (pure: no React).
import { diffLines } from 'diff';
import { stringify as stringifyYaml } from 'yaml';

export interface DiffRow {
  kind: 'same' | 'add' | 'del';
  oldNo?: number;
  newNo?: number;
  text: string;
}

export type DiffItem = DiffRow | { kind: 'gap'; count: number; start: number };

/** Objects as YAML with sorted keys, so key order never shows up as a change. */
export function diffText(v: unknown, language: 'yaml' | 'json' | 'text'): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (language === 'json') return JSON.stringify(v, sortedReplacer, 2);
  return stringifyYaml(v, { sortMapEntries: true });
}

function sortedReplacer(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
  return v;
}

export function diffRows(a: string, b: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let o = 1;
  let n = 1;
  for (const part of diffLines(a, b)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.added) rows.push({ kind: 'add', newNo: n++, text });
      else if (part.removed) rows.push({ kind: 'del', oldNo: o++, text });
      else rows.push({ kind: 'same', oldNo: o++, newNo: n++, text });
    }
  }
  return rows;
}

/** Unchanged runs longer than 2×context collapse into a gap (expandable by its start index). */
export function withGaps(rows: DiffRow[], context: number, expanded: ReadonlySet<number> = new Set()): DiffItem[] {
  const out: DiffItem[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].kind !== 'same') {
      out.push(rows[i++]);
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j].kind === 'same') j++;
    const head = i === 0 ? 0 : context;
    const tail = j === rows.length ? 0 : context;
    if (j - i > head + tail + 1 && !expanded.has(i)) {
      out.push(...rows.slice(i, i + head));
      out.push({ kind: 'gap', count: j - i - head - tail, start: i });
      out.push(...rows.slice(j - tail, j));
    } else out.push(...rows.slice(i, j));
    i = j;
  }
  return out;
}

export function diffStats(rows: DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const r of rows) {
    if (r.kind === 'add') added++;
    else if (r.kind === 'del') removed++;
  }
  return { added, removed };
}

/** Side-by-side pairs: removed and added lines of one change block share rows. */
export function splitPairs(items: DiffItem[]): ([DiffRow | undefined, DiffRow | undefined] | { kind: 'gap'; count: number; start: number })[] {
  const out: ([DiffRow | undefined, DiffRow | undefined] | { kind: 'gap'; count: number; start: number })[] = [];
  let i = 0;
  while (i < items.length) {
    const it = items[i];
    if (it.kind === 'gap') {
      out.push(it);
      i++;
    } else if (it.kind === 'same') {
      out.push([it, it]);
      i++;
    } else {
      const dels: DiffRow[] = [];
      const adds: DiffRow[] = [];
      while (i < items.length && (items[i].kind === 'del' || items[i].kind === 'add')) {
        const r = items[i++] as DiffRow;
        (r.kind === 'del' ? dels : adds).push(r);
      }
      for (let k = 0; k < Math.max(dels.length, adds.length); k++) out.push([dels[k], adds[k]]);
    }
  }
  return out;
}
