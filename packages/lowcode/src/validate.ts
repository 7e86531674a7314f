// Page validation beyond the zod shape: widget types exist, props fit the widget's JSON Schema,
// references (data sources, refresh targets, node ids) resolve. Every error names its path.
import { z } from 'zod';
import { PageDef, RUNTIME_NODE_TYPES, isDynamic, type ActionDef, type NodeDef } from './schema.js';
import type { WidgetMeta } from './widget.js';

export interface PageIssue {
  /** JSON path inside the page, e.g. "layout.rows[0].cols[1].nodes[0].props.columns". */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; page: PageDef; errors: [] } | { ok: false; page?: undefined; errors: PageIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += (out ? '.' : '') + String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(page)';
}

/**
 * Validates a page definition. With `widgetMetas`, node types must exist in the catalogue and
 * static props must fit each widget's `propsSchema`; without it only shape and references count.
 */
export function validatePage(input: unknown, widgetMetas?: readonly WidgetMeta[] | Record<string, WidgetMeta>): ValidationResult {
  const parsed = PageDef.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: dedupe(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }))) };
  }
  const page = parsed.data;
  const errors: PageIssue[] = [];
  const metas = widgetMetas ? (Array.isArray(widgetMetas) ? new Map(widgetMetas.map((m) => [m.type, m])) : new Map(Object.entries(widgetMetas))) : undefined;

  const nodes: { node: NodeDef; path: string }[] = [];
  const walk = (list: NodeDef[], base: string) =>
    list.forEach((n, i) => {
      const p = `${base}[${i}]`;
      nodes.push({ node: n, path: p });
      for (const [slot, children] of Object.entries(n.slots ?? {})) walk(children, `${p}.slots${formatPath([slot]).startsWith('[') ? '' : '.'}${formatPath([slot])}`);
    });
  if (page.layout.kind === 'fluid') page.layout.rows.forEach((r, ri) => r.cols.forEach((c, ci) => walk(c.nodes, `layout.rows[${ri}].cols[${ci}].nodes`)));
  else walk(page.layout.nodes, 'layout.nodes');

  const ids = new Map<string, string>();
  for (const { node, path } of nodes) {
    const prev = ids.get(node.id);
    if (prev) errors.push({ path: `${path}.id`, message: `node id "${node.id}" is already used at ${prev}` });
    else ids.set(node.id, path);
  }
  const dsNames = new Set(Object.keys(page.dataSources));

  if (page.layout.kind === 'grid') {
    page.layout.nodes.forEach((n, i) => {
      if (!n.grid) errors.push({ path: `layout.nodes[${i}].grid`, message: 'nodes of a grid layout need a grid position {x, y, w, h}' });
      else if (n.grid.x + n.grid.w > 12) errors.push({ path: `layout.nodes[${i}].grid`, message: `x + w is ${n.grid.x + n.grid.w}, more than the 12 columns` });
    });
  }

  for (const { node, path } of nodes) {
    if (typeof node.dataSource === 'string' && !dsNames.has(node.dataSource)) {
      errors.push({ path: `${path}.dataSource`, message: `no page data source named "${node.dataSource}" (have: ${[...dsNames].join(', ') || 'none'})` });
    }
    if (metas) {
      const meta = metas.get(node.type);
      if (!meta && (RUNTIME_NODE_TYPES as readonly string[]).includes(node.type)) {
        /* rendered by the runtime itself */
      } else if (!meta && /^(jsx|remote):[A-Z][A-Za-z0-9]*$/.test(node.type)) {
        /* stored custom/remote components (issue 6): their metas live in the store, not the catalogue */
      } else if (!meta) {
        errors.push({ path: `${path}.type`, message: `unknown widget type "${node.type}"` });
      } else {
        if (node.props) checkSchema(node.props, meta.propsSchema, `${path}.props`, errors);
        if (node.slots && Object.keys(node.slots).length && !meta.container) errors.push({ path: `${path}.slots`, message: `widget "${node.type}" is not a container and takes no child nodes` });
        if (node.actions && meta.events) {
          for (const ev of Object.keys(node.actions)) {
            if (!ev.startsWith('toolbar.') && !meta.events.includes(ev) && !meta.events.includes(ev.split('.')[0]!)) errors.push({ path: `${path}.actions.${ev}`, message: `widget "${node.type}" emits no event "${ev}" (it emits: ${meta.events.join(', ') || 'none'})` });
          }
        }
      }
    }
    for (const t of node.toolbar ?? []) {
      if (!node.actions?.[`toolbar.${t.key}`]) errors.push({ path: `${path}.toolbar`, message: `toolbar button "${t.key}" has no actions (expected actions["toolbar.${t.key}"])` });
    }
    for (const [ev, list] of Object.entries(node.actions ?? {})) checkActions(list, `${path}.actions.${ev}`, ids, dsNames, errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, page, errors: [] };
}

function checkActions(list: ActionDef[], base: string, ids: Map<string, string>, ds: Set<string>, errors: PageIssue[]): void {
  list.forEach((a, i) => {
    const p = `${base}[${i}]`;
    if (a.kind === 'refresh') {
      (a.targets ?? []).forEach((t, j) => {
        if (!ids.has(t) && !ds.has(t)) errors.push({ path: `${p}.targets[${j}]`, message: `"${t}" is neither a node id nor a page data source` });
      });
    }
    if ('then' in a && a.then) checkActions(a.then, `${p}.then`, ids, ds, errors);
  });
}

function issueMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_union' && 'note' in i && i.note === 'No matching discriminator') {
    return `${i.message}; expected one of ${(i as any).options?.join?.(', ') ?? 'the known kinds'}`;
  }
  if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
  return i.message;
}

function dedupe(list: PageIssue[]): PageIssue[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = e.path + '\0' + e.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A small JSON Schema check (type, enum, const, required, properties, additionalProperties,
 * items, minimum/maximum, minLength/maxLength, minItems/maxItems, anyOf/oneOf). Dynamic markers
 * ($tpl/$expr/$fn/$jsx) and `$(…)` strings are accepted anywhere: they resolve at run time.
 */
export function checkSchema(value: unknown, schema: unknown, path: string, errors: PageIssue[]): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, any>;
  if (isDynamic(value)) return;
  if (typeof value === 'string' && /\$\([^)]+\)/.test(value) && s.type !== 'string') return;
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const alts: unknown[] = s.anyOf ?? s.oneOf;
    const ok = alts.some((alt) => {
      const e: PageIssue[] = [];
      checkSchema(value, alt, path, e);
      return e.length === 0;
    });
    if (!ok) errors.push({ path, message: 'matches none of the allowed shapes' });
    return;
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) {
    errors.push({ path, message: `must be ${JSON.stringify(s.const)}` });
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push({ path, message: `must be one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}` });
    return;
  }
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    const actual = jsonType(value);
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) {
      errors.push({ path, message: `must be ${types.join(' or ')}, got ${actual}` });
      return;
    }
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push({ path, message: `must be >= ${s.minimum}` });
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push({ path, message: `must be <= ${s.maximum}` });
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) errors.push({ path, message: `must have at least ${s.minLength} characters` });
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) errors.push({ path, message: `must have at most ${s.maxLength} characters` });
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push({ path, message: `must have at least ${s.minItems} items` });
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push({ path, message: `must have at most ${s.maxItems} items` });
    if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) value.forEach((x, i) => checkSchema(x, s.items, `${path}[${i}]`, errors));
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in o)) errors.push({ path: `${path}.${r}`, message: 'is required' });
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (k in props) checkSchema(v, props[k], `${path}.${k}`, errors);
      else if (s.additionalProperties === false) errors.push({ path: `${path}.${k}`, message: `unknown property "${k}"` });
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') checkSchema(v, s.additionalProperties, `${path}.${k}`, errors);
    }
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
