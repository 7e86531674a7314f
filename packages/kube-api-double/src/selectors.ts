// Label selectors (equality and set-based) and field selectors, as accepted by LIST and WATCH.

import { badRequest } from './status.js';

type Req =
  | { op: 'eq' | 'ne'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Matcher = (labels: Record<string, string>) => boolean;

/** Split on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

export function parseLabelSelector(sel: string | null | undefined): Matcher {
  if (!sel) return () => true;
  const reqs: Req[] = [];
  for (const part of splitTop(sel)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({ op: m[2] as 'in' | 'notin', key: m[1], values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== '') });
    } else if ((m = part.match(/^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/))) {
      reqs.push({ op: m[2] === '!=' ? 'ne' : 'eq', key: m[1], value: m[3] });
    } else if ((m = part.match(/^!\s*([^\s!=(),]+)$/))) {
      reqs.push({ op: 'notexists', key: m[1] });
    } else if ((m = part.match(/^([^\s!=(),]+)$/))) {
      reqs.push({ op: 'exists', key: m[1] });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return (labels) =>
    reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'eq':
          return has && v === r.value;
        case 'ne':
          return !has || v !== r.value;
        case 'in':
          return has && r.values.includes(v);
        case 'notin':
          return !has || !r.values.includes(v);
        case 'exists':
          return has;
        case 'notexists':
          return !has;
      }
    });
}

export type ObjMatcher = (obj: Record<string, unknown>) => boolean;

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Field selectors: `metadata.name=x`, `metadata.namespace!=y`, any dotted path to a scalar. */
export function parseFieldSelector(sel: string | null | undefined): ObjMatcher {
  if (!sel) return () => true;
  const reqs = sel.split(',').map((part) => {
    const m = part.trim().match(/^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`);
    return { path: m[1], ne: m[2] === '!=', value: m[3] };
  });
  return (obj) =>
    reqs.every((r) => {
      const v = getPath(obj, r.path);
      const s = v === undefined || v === null ? '' : String(v);
      return r.ne ? s !== r.value : s === r.value;
    });
}
