// `$(path)` templates, SREWorks-compatible: `$(appId)`, `$(row.spec.name)`, `$(items[0].id)`.
// A string that is exactly one placeholder yields the raw value (numbers stay numbers, objects
// stay objects); otherwise values are interpolated as text (objects as JSON, missing as "").

const PLACEHOLDER = /\$\(\s*([^()]+?)\s*\)/g;
const WHOLE = /^\$\(\s*([^()]+?)\s*\)$/;

/** Reads a dotted/bracketed path ("a.b[0].c", "a['x y']") from a value. */
export function getPath(scope: unknown, path: string): unknown {
  if (path === '' || path === '.') return scope;
  const parts: string[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) parts.push(m[1] ?? m[2] ?? m[3]!);
  let cur: any = scope;
  for (const p of parts) {
    if (cur === null || cur === undefined) return undefined;
    if (p === '__proto__' || p === 'constructor' || p === 'prototype') return undefined;
    cur = Object.prototype.hasOwnProperty.call(Object(cur), p) || Array.isArray(cur) ? cur[p] : undefined;
  }
  return cur;
}

export function hasTemplate(s: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(s);
}

export function renderTemplate(s: string, scope: Record<string, unknown>): unknown {
  const whole = WHOLE.exec(s);
  if (whole) return getPath(scope, whole[1]!);
  return s.replace(PLACEHOLDER, (_m, p: string) => {
    const v = getPath(scope, p);
    if (v === undefined || v === null) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** Like renderTemplate but always text; for URLs the values are URI-encoded. */
export function renderText(s: string, scope: Record<string, unknown>, opts: { uri?: boolean } = {}): string {
  return s.replace(PLACEHOLDER, (_m, p: string) => {
    const v = getPath(scope, p);
    if (v === undefined || v === null) return '';
    const t = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return opts.uri ? encodeURIComponent(t) : t;
  });
}

/** Root names referenced by the placeholders of a string ("row.id" → "row"). */
export function templateVars(s: string): string[] {
  const out = new Set<string>();
  for (const m of s.matchAll(PLACEHOLDER)) {
    const root = /^[^.[\]]+/.exec(m[1]!.trim());
    if (root) out.add(root[0]);
  }
  return [...out];
}

/** All root names referenced by templates anywhere inside a JSON value (strings and $tpl). */
export function collectTemplateVars(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string') for (const n of templateVars(v)) out.add(n);
  else if (Array.isArray(v)) for (const x of v) collectTemplateVars(x, out);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // code is not a template: its variables are its own business
    if ('$fn' in o || '$jsx' in o || '$expr' in o) return out;
    for (const x of Object.values(o)) collectTemplateVars(x, out);
  }
  return out;
}

/**
 * Resolves the static parts of a JSON value: `$(…)` in strings and `{$tpl}` markers. `$expr`,
 * `$fn` and `$jsx` markers are returned untouched (they need the sandbox).
 */
export function resolveTemplates(v: unknown, scope: Record<string, unknown>): unknown {
  if (typeof v === 'string') return hasTemplate(v) ? renderTemplate(v, scope) : v;
  if (Array.isArray(v)) return v.map((x) => resolveTemplates(x, scope));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$tpl === 'string' && Object.keys(o).length === 1) return renderTemplate(o.$tpl, scope);
    if ('$fn' in o || '$jsx' in o || '$expr' in o) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = resolveTemplates(x, scope);
    return out;
  }
  return v;
}
