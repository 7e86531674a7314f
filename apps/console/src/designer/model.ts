// Pure edits of a page definition for the designer: every edit returns a new PageDef (the old one
// stays valid for undo). Nodes are addressed by id; positions by {row, col, index} (fluid) or by
// order in `layout.nodes` (grid). Container slots are edited through the outline only.
import { PAGE_SCHEMA_VERSION, type NodeDef, type PageDef, type WidgetMeta } from '@sreworks/lowcode/browser';

export type FluidTarget = { kind: 'fluid'; row: number; col: number; index?: number } | { kind: 'newRow'; index?: number } | { kind: 'grid' };

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Ids look like `lineChart3`: unique in the page, readable in templates and outputs. */
export function newNodeId(page: PageDef, type: string): string {
  const taken = new Set(allNodes(page).map((n) => n.id));
  const base = (type.replace(/^(jsx|remote):/, '').replace(/[^A-Za-z0-9]/g, '') || 'node').replace(/^./, (c) => c.toLowerCase());
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

export function newNode(page: PageDef, meta: Pick<WidgetMeta, 'type' | 'name' | 'defaults'>): NodeDef {
  return { id: newNodeId(page, meta.type), type: meta.type, title: meta.name, props: clone(meta.defaults ?? {}) };
}

function walk(nodes: NodeDef[], f: (n: NodeDef) => void): void {
  for (const n of nodes) {
    f(n);
    for (const list of Object.values(n.slots ?? {})) walk(list, f);
  }
}

function topLists(page: PageDef): NodeDef[][] {
  return page.layout.kind === 'grid' ? [page.layout.nodes] : page.layout.rows.flatMap((r) => r.cols.map((c) => c.nodes));
}

export function allNodes(page: PageDef): NodeDef[] {
  const out: NodeDef[] = [];
  for (const list of topLists(page)) walk(list, (n) => out.push(n));
  return out;
}

export function findNode(page: PageDef, id: string): NodeDef | undefined {
  return allNodes(page).find((n) => n.id === id);
}

// Edits share every object they do not change (structural sharing): the canvas re-renders only
// the nodes that changed (memoised by identity), which keeps a drop on a 50-widget page cheap.

/** Maps a node list (and container slots) by `f`; returns the same array when nothing changed. */
function mapNodes(list: NodeDef[], f: (n: NodeDef) => NodeDef | null): NodeDef[] {
  let changed = false;
  const out: NodeDef[] = [];
  for (const n of list) {
    let m = f(n);
    if (m?.slots) {
      let slotsChanged = false;
      const slots: Record<string, NodeDef[]> = {};
      for (const [k, l] of Object.entries(m.slots)) {
        slots[k] = mapNodes(l, f);
        if (slots[k] !== l) slotsChanged = true;
      }
      if (slotsChanged) m = { ...m, slots };
    }
    if (m !== n) changed = true;
    if (m) out.push(m);
  }
  return changed ? out : list;
}

/** Applies `g` to every top-level node list (fluid columns or the grid), copying only changed paths. */
function mapTop(page: PageDef, g: (list: NodeDef[], at?: { row: number; col: number }) => NodeDef[]): PageDef {
  if (page.layout.kind === 'grid') {
    const nodes = g(page.layout.nodes);
    return nodes === page.layout.nodes ? page : { ...page, layout: { ...page.layout, nodes } };
  }
  let changed = false;
  const rows = page.layout.rows.map((r, ri) => {
    let rowChanged = false;
    const cols = r.cols.map((c, ci) => {
      const nodes = g(c.nodes, { row: ri, col: ci });
      if (nodes === c.nodes) return c;
      rowChanged = true;
      return { ...c, nodes };
    });
    if (!rowChanged) return r;
    changed = true;
    return { ...r, cols };
  });
  return changed ? { ...page, layout: { ...page.layout, rows } } : page;
}

/** Removes a node wherever it is; returns the new page and the node. */
export function removeNode(page: PageDef, id: string): { page: PageDef; node?: NodeDef } {
  let found: NodeDef | undefined;
  let p = mapTop(page, (list) =>
    mapNodes(list, (n) => {
      if (!found && n.id === id) {
        found = n;
        return null;
      }
      return n;
    }),
  );
  if (p.layout.kind === 'fluid' && p !== page) {
    // an emptied column stays (it is a drop zone); an emptied single-column row goes
    const rows = p.layout.rows.filter((r) => r.cols.some((c) => c.nodes.length) || r.cols.length > 1);
    if (rows.length !== p.layout.rows.length) p = { ...p, layout: { ...p.layout, rows } };
  }
  return { page: p, node: found };
}

function nextGridY(page: PageDef): number {
  if (page.layout.kind !== 'grid') return 0;
  return page.layout.nodes.reduce((m, n) => Math.max(m, (n.grid?.y ?? 0) + (n.grid?.h ?? 0)), 0);
}

export function insertNode(page: PageDef, node: NodeDef, target: FluidTarget): PageDef {
  const n = clone(node);
  if (page.layout.kind === 'grid') {
    n.grid ??= { x: 0, y: nextGridY(page), w: 6, h: 8 };
    return { ...page, layout: { ...page.layout, nodes: [...page.layout.nodes, n] } };
  }
  delete n.grid;
  if (target.kind === 'fluid' && page.layout.rows[target.row]?.cols[target.col]) {
    return mapTop(page, (list, at) => {
      if (at?.row !== target.row || at.col !== target.col) return list;
      const copy = [...list];
      copy.splice(target.index ?? copy.length, 0, n);
      return copy;
    });
  }
  const rows = [...page.layout.rows];
  rows.splice(target.kind === 'newRow' && target.index !== undefined ? target.index : rows.length, 0, { cols: [{ span: 24, nodes: [n] }] });
  return { ...page, layout: { ...page.layout, rows } };
}

export function moveNode(page: PageDef, id: string, target: FluidTarget): PageDef {
  const { page: without, node } = removeNode(page, id);
  if (!node) return page;
  // removing a row before the target shifts the target row up
  if (page.layout.kind === 'fluid' && without.layout.kind === 'fluid' && target.kind === 'fluid') {
    const before = page.layout.rows.length;
    if (without.layout.rows.length < before) {
      const removedRow = page.layout.rows.findIndex((r) => r.cols.some((c) => c.nodes.some((x) => x.id === id)));
      if (removedRow < target.row) target = { ...target, row: target.row - 1 };
    }
  }
  return insertNode(without, node, target);
}

/** Where a node sits in a fluid page. */
export function locate(page: PageDef, id: string): { row: number; col: number; index: number } | undefined {
  if (page.layout.kind !== 'fluid') return undefined;
  for (const [r, row] of page.layout.rows.entries())
    for (const [c, col] of row.cols.entries()) {
      const i = col.nodes.findIndex((n) => n.id === id);
      if (i >= 0) return { row: r, col: c, index: i };
    }
  return undefined;
}

/** Gives a copied subtree fresh ids (so a paste into the same page never collides). */
export function reId(page: PageDef, node: NodeDef): NodeDef {
  const n = clone(node);
  const taken = new Set(allNodes(page).map((x) => x.id));
  const fix = (x: NodeDef) => {
    const base = x.id.replace(/\d+$/, '') || 'node';
    let i = 1;
    while (taken.has(`${base}${i}`)) i++;
    x.id = `${base}${i}`;
    taken.add(x.id);
    for (const list of Object.values(x.slots ?? {})) list.forEach(fix);
  };
  fix(n);
  return n;
}

export function duplicateNode(page: PageDef, id: string): PageDef {
  const n = findNode(page, id);
  if (!n) return page;
  const copy = reId(page, n);
  if (page.layout.kind === 'grid') {
    if (copy.grid) copy.grid = { ...copy.grid, y: nextGridY(page) };
    return insertNode(page, copy, { kind: 'grid' });
  }
  const at = locate(page, id);
  return at ? insertNode(page, copy, { kind: 'fluid', row: at.row, col: at.col, index: at.index + 1 }) : page;
}

export function updateNode(page: PageDef, id: string, f: (n: NodeDef) => NodeDef): PageDef {
  return mapTop(page, (list) => mapNodes(list, (n) => (n.id === id ? f(n) : n)));
}

export function setGrid(page: PageDef, items: { i: string; x: number; y: number; w: number; h: number }[]): PageDef {
  if (page.layout.kind !== 'grid') return page;
  const byId = new Map(items.map((g) => [g.i, g]));
  let changed = false;
  const nodes = page.layout.nodes.map((n) => {
    const g = byId.get(n.id);
    if (!g) return n;
    const grid = { x: g.x, y: g.y, w: g.w, h: g.h };
    if (JSON.stringify(grid) === JSON.stringify(n.grid)) return n;
    changed = true;
    return { ...n, grid };
  });
  return changed ? { ...page, layout: { ...page.layout, nodes } } : page;
}

/** Switches the layout kind, keeping every node (fluid order ↔ grid top-to-bottom). */
export function convertLayout(page: PageDef, kind: 'fluid' | 'grid'): PageDef {
  if (page.layout.kind === kind) return page;
  const p = clone(page);
  if (p.layout.kind === 'fluid') {
    let y = 0;
    const nodes: NodeDef[] = [];
    for (const row of p.layout.rows) {
      let x = 0;
      for (const col of row.cols)
        for (const n of col.nodes) {
          const w = Math.max(1, Math.min(12, Math.round((col.span / 24) * 12)));
          nodes.push({ ...n, grid: { x: x + w > 12 ? 0 : x, y, w, h: 8 } });
          x = (x + w) % 12;
        }
      y += 8;
    }
    p.layout = { kind: 'grid', cols: 12, rowHeight: 12, margin: [8, 8], nodes };
  } else {
    const sorted = [...p.layout.nodes].sort((a, b) => (a.grid?.y ?? 0) - (b.grid?.y ?? 0) || (a.grid?.x ?? 0) - (b.grid?.x ?? 0));
    p.layout = { kind: 'fluid', rows: sorted.map(({ grid, ...n }) => ({ cols: [{ span: Math.max(1, Math.min(24, (grid?.w ?? 12) * 2)), nodes: [n] }] })) };
  }
  return p;
}

/** Splits a fluid row into columns of equal span (1–4), moving extra nodes into the last one. */
export function setRowColumns(page: PageDef, row: number, count: number): PageDef {
  if (page.layout.kind !== 'fluid' || !page.layout.rows[row]) return page;
  const p = clone(page);
  if (p.layout.kind !== 'fluid') return p;
  const r = p.layout.rows[row]!;
  const span = Math.floor(24 / count);
  const cols = Array.from({ length: count }, (_, i) => ({ span, nodes: r.cols[i]?.nodes ?? [] }));
  for (const extra of r.cols.slice(count)) cols[count - 1]!.nodes.push(...extra.nodes);
  r.cols = cols;
  return p;
}

// ---------------------------------------------------------------------------------- history

/** Undo/redo over immutable page snapshots (cheap: edits share nothing mutable). */
export class History {
  private past: PageDef[] = [];
  private future: PageDef[] = [];
  constructor(
    public present: PageDef,
    private readonly limit = 200,
  ) {}
  push(next: PageDef): void {
    if (next === this.present) return;
    this.past.push(this.present);
    if (this.past.length > this.limit) this.past.shift();
    this.present = next;
    this.future = [];
  }
  undo(): PageDef {
    const prev = this.past.pop();
    if (prev) {
      this.future.push(this.present);
      this.present = prev;
    }
    return this.present;
  }
  redo(): PageDef {
    const next = this.future.pop();
    if (next) {
      this.past.push(this.present);
      this.present = next;
    }
    return this.present;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
}

// -------------------------------------------------------------------------------- templates

export interface PageTemplate {
  key: string;
  name: string;
  description: string;
  build(app: string, id: string, title: string): PageDef;
}

const base = (app: string, id: string, title: string): PageDef => ({ schemaVersion: PAGE_SCHEMA_VERSION, id, app, title, params: {}, dataSources: {}, layout: { kind: 'fluid', rows: [] } });

export const PAGE_TEMPLATES: PageTemplate[] = [
  { key: 'blank', name: 'Blank (rows and columns)', description: 'An empty fluid page', build: base },
  { key: 'grid', name: 'Blank dashboard grid', description: 'An empty 12-column grid', build: (a, i, t) => ({ ...base(a, i, t), layout: { kind: 'grid', cols: 12, rowHeight: 12, margin: [8, 8], nodes: [] } }) },
  {
    key: 'list',
    name: 'List with filter',
    description: 'A filter bar writing a "q" param and a table reading it',
    build: (a, i, t) => ({
      ...base(a, i, t),
      params: { q: { type: 'string', from: 'url' } },
      layout: {
        kind: 'fluid',
        rows: [
          { cols: [{ span: 24, nodes: [{ id: 'filter1', type: 'FilterBar', title: 'Filter', props: {}, outputs: [{ param: 'q', path: 'q' }] }] }] },
          { cols: [{ span: 24, nodes: [{ id: 'table1', type: 'Table', title: t, props: {}, dataSource: { kind: 'api', method: 'GET', url: '/api/users?q=$(q)' } }] }] },
        ],
      },
    }),
  },
  {
    key: 'dashboard',
    name: 'Metrics dashboard',
    description: 'Two stat cards over a line chart of a Prometheus range query',
    build: (a, i, t) => ({
      ...base(a, i, t),
      layout: {
        kind: 'grid',
        cols: 12,
        rowHeight: 12,
        margin: [8, 8],
        nodes: [
          { id: 'stat1', type: 'StatCard', title: 'Up targets', props: {}, grid: { x: 0, y: 0, w: 6, h: 6 } },
          { id: 'stat2', type: 'StatCard', title: 'Series', props: {}, grid: { x: 6, y: 0, w: 6, h: 6 } },
          { id: 'lineChart1', type: 'LineChart', title: 'up', props: {}, grid: { x: 0, y: 6, w: 12, h: 16 }, dataSource: { kind: 'api', method: 'GET', url: '/prometheus/api/v1/query_range?query=up&start=$(start)&end=$(end)&step=60' } },
        ],
      },
    }),
  },
];

// ---------------------------------------------------------------------------- import checks

/** Parses an exported page file: clear messages for bad JSON and for newer schema versions. */
export function parsePageFile(text: string): { ok: true; page: unknown } | { ok: false; message: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'the file must hold a JSON object (a page definition)' };
  const page = 'page' in v && (v as { page?: unknown }).page && typeof (v as { page: unknown }).page === 'object' ? (v as { page: unknown }).page : v;
  const sv = (page as { schemaVersion?: unknown }).schemaVersion;
  if (typeof sv !== 'number') return { ok: false, message: 'schemaVersion is missing: this is not a page definition export' };
  if (sv > PAGE_SCHEMA_VERSION) return { ok: false, message: `this page was exported from a newer console (schemaVersion ${sv}; this console reads up to ${PAGE_SCHEMA_VERSION}): upgrade the platform to import it` };
  if (sv < PAGE_SCHEMA_VERSION) return { ok: false, message: `schemaVersion ${sv} is older than any this console knows (${PAGE_SCHEMA_VERSION})` };
  return { ok: true, page };
}
