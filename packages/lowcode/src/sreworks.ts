// Import of SREWorks page exports (`GET /frontend/exImport/export?appId` →
// {app, tabList, nodeList, elementList, nodeElementList}, nested JSON kept as strings) into our
// app manifest and page definitions. Whatever cannot be mapped is kept (as props or as a
// labelled `Unsupported` node) and listed in the report, so nothing is dropped silently.
import { PAGE_SCHEMA_VERSION, type ActionDef, type AppManifest, type DataSourceDef, type FieldDef, type MenuItem, type NodeDef, type PageDef, type ToolbarItem } from './schema.js';
import { collectTemplateVars } from './template.js';

export interface SreworksExport {
  app: Record<string, unknown>;
  tabList: Record<string, unknown>[];
  nodeList: Record<string, unknown>[];
  elementList: Record<string, unknown>[];
  nodeElementList?: Record<string, unknown>[];
}

export interface ImportIssue {
  /** page id (or "(app)") and where inside the source. */
  page: string;
  where: string;
  message: string;
}

export interface ImportReport {
  pages: number;
  nodes: number;
  /** SREWorks element type → our widget type, with counts. */
  mapped: Record<string, { to: string; count: number }>;
  /** element types that became `Unsupported` placeholders, with counts. */
  unsupported: Record<string, number>;
  issues: ImportIssue[];
}

export interface ImportResult {
  app: AppManifest;
  pages: PageDef[];
  report: ImportReport;
}

/** SREWorks element type → our widget type. */
export const SREWORKS_TYPE_MAP: Record<string, string> = {
  TABLE: 'Table',
  FILTER_BAR: 'FilterBar',
  FILTER_FORM: 'FilterBar',
  FILTER_SINGLE: 'FilterBar',
  FILTER_MIX: 'FilterBar',
  FILTER_TAB: 'FilterBar',
  ACTION: 'Form',
  StatisticCard: 'StatCard',
  MarkdownComp: 'Markdown',
  CustomRender: 'JsxTemplate',
  BChart: 'LineChart',
  LineChart: 'LineChart',
  Pie: 'PieChart',
  Descriptions: 'Descriptions',
  Tabs: 'Tabs',
  Iframe: 'Iframe',
  API_TEST: 'ApiTester',
  StatusList: 'StatusList',
  StatusSummary: 'StatusList',
  List: 'List',
  Timeline: 'Timeline',
  Alert: 'Alert',
};

/** SREWorks form item type codes → our field kinds. */
const FIELD_KINDS: Record<number, FieldDef['kind']> = {
  1: 'text', 2: 'textarea', 3: 'select', 4: 'multiselect', 5: 'date', 10: 'select', 11: 'multiselect', 14: 'select', 15: 'number', 16: 'switch', 18: 'password', 86: 'json', 83: 'yaml', 110: 'hidden',
};

const HANDLED_KEYS = new Set(['uniqueKey', 'title', 'gridPos', 'dataSourceMeta', 'visibleExp', 'dependParams', 'outputs', 'toolbar', 'itemToolbar', 'wrapper', 'hasWrapper', 'cardBorder', 'hiddenEnable', 'foldEnable', 'style', 'name']);
/** names that templates use for the row or form being rendered, not page params. */
const LOCAL_NAMES = new Set(['row', 'record', 'item', 'nodeParams', 'formValues', 'event', '__currentUser__', 'params', 'index']);

function parseMaybe(v: unknown): any {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t || t === 'null') return null;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_/-]+/g, '-').replace(/\/+/g, '/').replace(/(^|\/)[-_]+/g, '$1').replace(/[-/]+$/g, '') || 'page';
}

function identify(s: string, prefix = 'n'): string {
  const t = s.replace(/[^\w-]+/g, '_');
  return /^[A-Za-z_]/.test(t) ? t : `${prefix}_${t}`;
}

/** Default SREWorks handler stubs do nothing; importing them only costs a sandbox call. */
function isNoopHandler(src: string): boolean {
  const body = src.replace(/\/\/.*$/gm, '').replace(/\s+/g, '');
  return /^function\w*\([^)]*\)\{return\{\};?\}$/.test(body) || /^function\w*\([^)]*\)\{return"";?\}$/.test(body) || /^function\w*\([^)]*\)\{return\{type:"",message:"",title:"",pass:true(,transformParams:false)?(,dynamicItems:\[\])?\};?\}$/.test(body);
}

function fnOf(src: unknown): { $fn: string } | undefined {
  if (typeof src !== 'string' || !src.trim() || isNoopHandler(src)) return undefined;
  return { $fn: src };
}

export function importSreworksExport(raw: unknown, opts: { knownTypes?: Iterable<string> } = {}): ImportResult {
  const ex = (typeof raw === 'string' ? JSON.parse(raw) : raw) as SreworksExport;
  if (!ex || typeof ex !== 'object' || !Array.isArray(ex.tabList) || !Array.isArray(ex.nodeList)) {
    throw new Error('not a SREWorks page export: expected {app, tabList, nodeList, elementList, nodeElementList}');
  }
  const known = opts.knownTypes ? new Set(opts.knownTypes) : undefined;
  const appId = identify(String((ex.app as any)?.appId ?? (ex.nodeList[0] as any)?.appId ?? 'imported'), 'app');
  const report: ImportReport = { pages: 0, nodes: 0, mapped: {}, unsupported: {}, issues: [] };
  const blocks = new Map<string, any>();
  for (const e of ex.elementList ?? []) blocks.set(String(e.elementId), { ...e, config: parseMaybe(e.config) ?? {} });

  // ---- menu tree from the node list
  const nodes = ex.nodeList.map((n) => ({ path: String(n.nodeTypePath), parent: String(n.parentNodeTypePath ?? ''), config: (parseMaybe(n.config) ?? {}) as Record<string, any> }));
  const pageIdOf = new Map<string, string>();
  const usedPageIds = new Set<string>();
  for (const n of nodes) {
    const url = String(n.config.url ?? n.config.name ?? n.path.split(':').pop());
    let id = slugify(url.startsWith(`${appId}/`) ? url.slice(appId.length + 1) : url);
    while (usedPageIds.has(id)) id += '-2';
    usedPageIds.add(id);
    pageIdOf.set(n.path, id);
  }
  const byParent = new Map<string, typeof nodes>();
  for (const n of nodes) byParent.set(n.parent, [...(byParent.get(n.parent) ?? []), n]);
  const usedKeys = new Set<string>();
  const menuOf = (parent: string, depth: number): MenuItem[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => Number(a.config.order ?? 0) - Number(b.config.order ?? 0))
      .map((n) => {
        let key = identify(String(n.config.name ?? n.path.split('::').pop()), 'm');
        while (usedKeys.has(key)) key += '_2';
        usedKeys.add(key);
        const children = depth < 5 ? menuOf(n.path, depth + 1) : [];
        const item: MenuItem = { key, label: String(n.config.label ?? n.config.name ?? key), page: pageIdOf.get(n.path) };
        if (n.config.icon) item.icon = String(n.config.icon);
        if (n.config.hidden) item.hidden = true;
        if (children.length) item.children = children;
        return item;
      });
  const roots = nodes.filter((n) => !nodes.some((m) => m.path === n.parent));
  const rootParents = [...new Set(roots.map((r) => r.parent))];
  const menu = rootParents.flatMap((p) => menuOf(p, 0));

  // ---- pages: one per tab (the first tab of a node takes the node's page id)
  const pages: PageDef[] = [];
  const tabsByNode = new Map<string, Record<string, unknown>[]>();
  for (const t of ex.tabList) tabsByNode.set(String(t.nodeTypePath), [...(tabsByNode.get(String(t.nodeTypePath)) ?? []), t]);

  function convertTab(tab: Record<string, unknown>, n: (typeof nodes)[number], id: string, ti: number): PageDef {
    const ctx = new PageCtx(id);
    const elements = (parseMaybe(tab.elements) ?? []) as any[];
    const tabConfig = (parseMaybe(tab.config) ?? {}) as Record<string, any>;
    const dataSources: Record<string, DataSourceDef> = {};
    const pageDs = convertDataSource(tabConfig.dataSourceMeta, ctx, 'config.dataSourceMeta');
    if (pageDs) dataSources.page = { ...pageDs, toParams: true };
    if (Array.isArray(tabConfig.functionMeta) && tabConfig.functionMeta.length) ctx.issue('config.functionMeta', `${tabConfig.functionMeta.length} page function(s) not imported`);
    const layoutKind = String(n.config.pageLayoutType ?? 'FLUID').toUpperCase() === 'CUSTOM' ? 'grid' : 'fluid';
    let layout: PageDef['layout'];
    if (layoutKind === 'grid') {
      const list: NodeDef[] = [];
      elements.forEach((el, i) => {
        for (const node of ctx.convertElementFlat(el, `elements[${i}]`)) list.push(node);
      });
      let y = 0;
      for (const node of list) {
        const gp = node.grid ?? { x: 0, y, w: 12, h: 20 };
        const w = Math.max(1, Math.min(12, gp.w));
        node.grid = { x: Math.max(0, Math.min(12 - w, gp.x)), y: Math.max(0, gp.y), w, h: Math.max(1, gp.h) };
        y = Math.max(y, node.grid.y + node.grid.h);
      }
      layout = { kind: 'grid', cols: 12, rowHeight: 12, margin: [8, 8], nodes: list };
    } else {
      const rows: { cols: { span: number; nodes: NodeDef[] }[] }[] = [];
      elements.forEach((el, i) => {
        if (el?.type === 'FluidGrid') rows.push(...ctx.fluidRows(el.config?.rows ?? [], `elements[${i}].config.rows`));
        else rows.push({ cols: [{ span: 24, nodes: ctx.convertElementFlat(el, `elements[${i}]`).map(stripGrid) }] });
      });
      layout = { kind: 'fluid', rows };
    }
    // Every `$(name)` the page reads that no filter writes is a URL parameter (deep links work).
    const vars = collectTemplateVars({ elements, tabConfig });
    const params: PageDef['params'] = {};
    for (const v of [...vars].sort()) {
      if (LOCAL_NAMES.has(v) || !/^[A-Za-z_][\w-]*$/.test(v)) continue;
      params[v] = { type: 'string', from: ctx.outputs.has(v) ? 'state' : 'url' };
    }
    for (const o of ctx.outputs) if (!params[o] && /^[A-Za-z_][\w-]*$/.test(o)) params[o] = { type: 'string', from: 'url' };
    const label = String(n.config.label ?? tab.label ?? id);
    return {
      schemaVersion: PAGE_SCHEMA_VERSION,
      id,
      app: appId,
      title: ti === 0 ? label : `${label} (${ti + 1})`,
      params,
      dataSources,
      layout,
      origin: { kind: 'sreworks', nodeTypePath: n.path, tabId: tab.tabId ? String(tab.tabId) : undefined },
    };
  }

  function stripGrid(node: NodeDef): NodeDef {
    delete node.grid;
    return node;
  }

  class PageCtx {
    ids = new Set<string>();
    outputs = new Set<string>();
    constructor(readonly page: string) {}
    issue(where: string, message: string) {
      report.issues.push({ page: this.page, where, message });
    }
    nodeId(raw: unknown): string {
      let id = identify(String(raw ?? `node${this.ids.size + 1}`));
      while (this.ids.has(id)) id += '_2';
      this.ids.add(id);
      return id;
    }
    fluidRows(rows: any[], where: string): { cols: { span: number; nodes: NodeDef[] }[] }[] {
      const out: { cols: { span: number; nodes: NodeDef[] }[] }[] = [];
      rows.forEach((r, ri) => {
        const spans = String(r?.spans ?? '24').split(',').map((x) => Math.max(1, Math.min(24, parseInt(x, 10) || 24)));
        const cols = spans.map((span) => ({ span, nodes: [] as NodeDef[] }));
        (r?.elements ?? []).forEach((el: any, ei: number) => {
          const col = cols[ei % cols.length]!;
          if (el?.type === 'FluidGrid') {
            // our fluid layout does not nest rows: keep the widgets, in order, in this column
            this.issue(`${where}[${ri}].elements[${ei}]`, 'nested FluidGrid flattened into its column');
            for (const sub of this.fluidRows(el.config?.rows ?? [], `${where}[${ri}].elements[${ei}].config.rows`)) for (const c of sub.cols) col.nodes.push(...c.nodes);
          } else col.nodes.push(...this.convertElementFlat(el, `${where}[${ri}].elements[${ei}]`).map(stripGrid));
        });
        out.push({ cols });
      });
      return out;
    }
    /** One SREWorks element → nodes (a BLOCK reference expands to its elements). */
    convertElementFlat(el: any, where: string): NodeDef[] {
      if (!el || typeof el !== 'object') return [];
      if (el.type === 'BLOCK' || (!el.type && el.config?.elementId)) {
        const ref = el.config?.elementId ?? el.config?.block;
        const block = ref ? blocks.get(String(ref)) : undefined;
        if (!block) {
          this.issue(where, `BLOCK ${ref ?? '(no id)'} not found in elementList`);
          return [this.placeholder(el, where, 'BLOCK')];
        }
        return ((block.config?.elements ?? []) as any[]).flatMap((sub, i) => this.convertElementFlat(sub, `${where}→${block.elementId}.elements[${i}]`));
      }
      if (el.type === 'FluidGrid') {
        this.issue(where, 'FluidGrid inside a grid page or block flattened');
        return ((el.config?.rows ?? []) as any[]).flatMap((r, ri) => ((r?.elements ?? []) as any[]).flatMap((sub, ei) => this.convertElementFlat(sub, `${where}.config.rows[${ri}].elements[${ei}]`)));
      }
      if (!el.type) {
        this.issue(where, 'element without a type skipped');
        return [];
      }
      return [this.convertElement(el, where)];
    }
    placeholder(el: any, where: string, type: string): NodeDef {
      report.unsupported[type] = (report.unsupported[type] ?? 0) + 1;
      report.nodes++;
      const c = el?.config ?? {};
      const node: NodeDef = {
        id: this.nodeId(c.uniqueKey),
        type: 'Unsupported',
        title: c.title ? String(c.title) : undefined,
        props: { originalType: type, label: `SREWorks widget "${type}" is not supported yet`, original: c },
      };
      if (c.gridPos) node.grid = { x: Number(c.gridPos.x) || 0, y: Number(c.gridPos.y) || 0, w: Number(c.gridPos.w) || 12, h: Number(c.gridPos.h) || 10 };
      void where;
      return node;
    }
    convertElement(el: any, where: string): NodeDef {
      const type = String(el.type);
      const c = (el.config ?? {}) as Record<string, any>;
      const target = SREWORKS_TYPE_MAP[type];
      if (!target || (known && !known.has(target))) return this.placeholder(el, where, type);
      report.mapped[type] = { to: target, count: (report.mapped[type]?.count ?? 0) + 1 };
      report.nodes++;
      const node: NodeDef = { id: this.nodeId(c.uniqueKey), type: target };
      if (c.title) node.title = String(c.title);
      if (c.gridPos) node.grid = { x: Number(c.gridPos.x) || 0, y: Number(c.gridPos.y) || 0, w: Number(c.gridPos.w) || 12, h: Number(c.gridPos.h) || 10 };
      if (c.hasWrapper === 'none' || c.wrapper === 'none' || c.wrapper === 'transparent') node.wrapper = 'none';
      const ds = convertDataSource(c.dataSourceMeta, this, `${where}.config.dataSourceMeta`);
      if (ds) node.dataSource = ds;
      if (typeof c.visibleExp === 'string' && c.visibleExp.trim()) node.visibleWhen = { $expr: c.visibleExp };
      if (Array.isArray(c.dependParams) && c.dependParams.length) node.dependsOn = c.dependParams.map(String);
      const props: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c)) {
        if (HANDLED_KEYS.has(k)) continue;
        props[k] = convertValue(k, v);
      }
      if (type === 'CustomRender') {
        props.template = { $jsx: String(c.jsxDom ?? c.jsx ?? '') };
        delete props.jsxDom;
      }
      if (type.startsWith('FILTER_') || type === 'ACTION') {
        const fields = convertFields(c.parameters, this, `${where}.config.parameters`);
        props.fields = fields;
        delete props.parameters;
        if (type.startsWith('FILTER_')) {
          node.outputs = fields.map((f) => ({ param: f.name, path: f.name }));
          for (const f of fields) this.outputs.add(f.name);
        } else {
          node.actions = { submit: [{ kind: 'callApi', method: normMethod(c.method), url: apiUrl(c.api), body: { $tpl: '$(event)' }, then: c.refresh ? [{ kind: 'refresh' }] : undefined } as ActionDef] };
        }
      }
      if (Array.isArray(c.outputs) && c.outputs.length) {
        node.outputs = [...(node.outputs ?? []), ...c.outputs.filter((o: any) => o && (o.name || typeof o === 'string')).map((o: any) => ({ param: String(o.name ?? o), path: o.valueField ? String(o.valueField) : undefined }))];
        for (const o of node.outputs) this.outputs.add(o.param);
      }
      const toolbar = this.toolbar(c.toolbar, `${where}.config.toolbar`, node);
      if (toolbar.length) node.toolbar = toolbar;
      if (c.itemToolbar && Array.isArray(c.itemToolbar.actionList) && c.itemToolbar.actionList.length) {
        const rowActions: Record<string, unknown>[] = [];
        c.itemToolbar.actionList.forEach((a: any, i: number) => {
          const key = `a${i + 1}`;
          rowActions.push({ key, label: String(a.label ?? key), event: `rowAction.${key}` });
          if (a.hiddenExp) this.issue(`${where}.config.itemToolbar.actionList[${i}].hiddenExp`, `row action "${a.label ?? key}" is always shown (hiddenExp ${a.hiddenExp} not imported)`);
          const acts = this.blockActions(a, `${where}.config.itemToolbar.actionList[${i}]`);
          if (acts.length) (node.actions ??= {})[`rowAction.${key}`] = acts;
        });
        props.rowActions = rowActions;
      }
      if (Object.keys(props).length) node.props = props;
      return node;
    }
    toolbar(tb: any, where: string, node: NodeDef): ToolbarItem[] {
      if (!tb || !Array.isArray(tb.actionList)) return [];
      const out: ToolbarItem[] = [];
      tb.actionList.forEach((a: any, i: number) => {
        const key = `t${i + 1}`;
        const acts = this.blockActions(a, `${where}.actionList[${i}]`);
        if (!acts.length) return;
        out.push({ key, label: String(a.label ?? key), type: a.type === 'primary' ? 'primary' : 'default' });
        (node.actions ??= {})[`toolbar.${key}`] = acts;
      });
      if (Array.isArray(tb.docList) && tb.docList.length) this.issue(`${where}.docList`, `${tb.docList.length} documentation link(s) not imported`);
      return out;
    }
    /** An action button opens a BLOCK; when the block holds an ACTION form it becomes openForm. */
    blockActions(a: any, where: string): ActionDef[] {
      const block = a?.block ? blocks.get(String(a.block)) : undefined;
      if (!block) {
        this.issue(where, `action "${a?.label ?? '?'}" opens ${a?.block ? `unknown block ${a.block}` : 'nothing'}; not imported`);
        return [];
      }
      const form = findForm(block.config?.elements ?? []);
      if (!form) {
        this.issue(where, `action "${a?.label ?? '?'}" opens block ${block.elementId} without a form; not imported`);
        return [];
      }
      const fc = form.config ?? {};
      if (form.type === 'STEP_ACTION') this.issue(where, 'multi-step form imported as a single form');
      const fields = convertFields(fc.parameters, this, `${where}→${block.elementId}.parameters`);
      if (!fields.length) fields.push({ name: '_confirm', kind: 'hidden' } as FieldDef);
      const before = fnOf(fc.beforeSubmitHandler);
      const act: ActionDef = {
        kind: 'openForm',
        display: a.displayType === 'modal' ? 'modal' : 'drawer',
        title: String(a.label ?? fc.label ?? 'Action'),
        fields,
        submit: { method: normMethod(fc.method), url: apiUrl(fc.api), body: { $tpl: '$(values)' } },
        then: fc.refresh ? [{ kind: 'refresh' }] : undefined,
      };
      if (before) act.beforeSubmit = before;
      if (act.then === undefined) delete act.then;
      return [act];
    }
  }

  function convertDataSource(meta: any, ctx: PageCtx, where: string): DataSourceDef | undefined {
    if (!meta || typeof meta !== 'object' || !meta.type) return undefined;
    const type = String(meta.type).toUpperCase();
    const after = fnOf(meta.afterResponseHandler);
    if (type === 'API' || type === 'CMDB') {
      if (!meta.api) {
        ctx.issue(where, 'API data source without an api; dropped');
        return undefined;
      }
      const ds: DataSourceDef = { kind: 'api', method: normMethod(meta.method), url: apiUrl(meta.api) };
      if (meta.params && typeof meta.params === 'object' && Object.keys(meta.params).length) ds.params = meta.params;
      const before = fnOf(meta.beforeRequestHandler);
      if (before) ds.beforeRequest = before;
      if (after) ds.afterResponse = after;
      return ds;
    }
    if (type === 'FUNCTION') {
      const fn = fnOf(meta.function ?? meta.functionBody);
      if (!fn) {
        ctx.issue(where, 'FUNCTION data source without a function; dropped');
        return undefined;
      }
      return { kind: 'function', fn, ...(after ? { afterResponse: after } : {}) };
    }
    if (type === 'JSON_DATA') return { kind: 'json', json: parseMaybe(meta.JSON_DATA ?? meta.jsonData ?? meta.data ?? null), ...(after ? { afterResponse: after } : {}) };
    ctx.issue(where, `data source type ${type} not supported; dropped`);
    return undefined;
  }

  function convertFields(params: unknown, ctx: PageCtx, where: string): FieldDef[] {
    if (!Array.isArray(params)) return [];
    const out: FieldDef[] = [];
    params.forEach((p: any, i: number) => {
      if (!p?.name) return;
      const code = Number(p.type);
      let kind = FIELD_KINDS[code];
      if (!kind) {
        ctx.issue(`${where}[${i}]`, `form item type ${p.type} (${p.label ?? p.name}) imported as a text input`);
        kind = 'text';
      }
      if (p.isHidden === 2 || p.isHidden === true) kind = 'hidden';
      const f: FieldDef = { name: String(p.name), kind, label: p.label ? String(p.label) : undefined };
      if (p.required === 2 || p.required === true) f.required = true;
      if (p.toolTip) f.help = String(p.toolTip);
      const dv = Array.isArray(p.defaultValue) ? (p.defaultValue.length === 1 && kind !== 'multiselect' ? p.defaultValue[0] : p.defaultValue.length ? p.defaultValue : undefined) : p.defaultValue;
      if (dv !== undefined && dv !== '') f.defaultValue = dv;
      const opts = p.defModel?.options ?? p.defModel?.dataSource;
      if (Array.isArray(opts)) f.options = opts.filter((o: any) => o && 'value' in o).map((o: any) => ({ value: o.value, label: String(o.label ?? o.value) }));
      if (p.dataSourceMeta) {
        const ds = convertDataSource(p.dataSourceMeta, ctx, `${where}[${i}].dataSourceMeta`);
        if (ds) f.optionsFrom = ds;
      }
      if (typeof p.validateReg === 'string' && p.validateReg) f.pattern = p.validateReg;
      if (typeof p.visibleExp === 'string' && p.visibleExp.trim()) f.visibleWhen = { $expr: p.visibleExp };
      if (fnOf(p.effectHandler)) ctx.issue(`${where}[${i}].effectHandler`, `field "${p.name}" has a linkage handler (effectHandler) that is not imported`);
      out.push(f);
    });
    return out;
  }

  for (const n of nodes) {
    const tabs = tabsByNode.get(n.path) ?? [];
    const attached = (ex.nodeElementList ?? []).filter((ne) => ne.nodeTypePath === n.path).length;
    if (!tabs.length) {
      if (attached) report.issues.push({ page: pageIdOf.get(n.path)!, where: n.path, message: `${attached} element(s) attached to a menu node without a tab were not placed on a page` });
      continue;
    }
    tabs.forEach((tab, ti) => {
      const id = ti === 0 ? pageIdOf.get(n.path)! : `${pageIdOf.get(n.path)}/tab-${ti + 1}`;
      pages.push(convertTab(tab, n, id, ti));
    });
  }
  report.pages = pages.length;

  const app: AppManifest = {
    id: appId,
    name: appId,
    icon: 'AppstoreOutlined',
    description: `Imported from SREWorks (${appId})`,
    menu,
  };
  const firstPage = menu.find((m) => m.page && !m.hidden)?.page;
  if (firstPage) app.home = firstPage;
  return { app, pages, report };
}

/** The first ACTION form inside a block, looking through FluidGrid rows. */
function findForm(elements: any[]): any {
  for (const e of elements) {
    if (!e || typeof e !== 'object') continue;
    if (e.type === 'ACTION' || e.type === 'STEP_ACTION') return e;
    if (e.type === 'FluidGrid') {
      for (const r of e.config?.rows ?? []) {
        const f = findForm(r?.elements ?? []);
        if (f) return f;
      }
    }
  }
  return undefined;
}

function normMethod(m: unknown): 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' {
  const u = String(m ?? 'GET').toUpperCase();
  return (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).find((x) => x === u) ?? 'GET';
}

/** SREWorks APIs are gateway-relative ("gateway/sreworks/…"); ours are under /api. */
function apiUrl(api: unknown): string {
  const s = String(api ?? '').trim();
  if (/^https?:\/\//.test(s) || s.startsWith('/')) return s;
  return `/api/sreworks/${s.replace(/^gateway\//, '')}`;
}

function convertValue(key: string, v: unknown): unknown {
  if (typeof v === 'string') {
    if (/^\s*(async\s+)?function\b/.test(v)) return fnOf(v) ?? v;
    if ((key === 'render' || key === 'jsx' || key === 'jsxDom' || key === 'hint') && /<[A-Za-z]/.test(v)) return { $jsx: v };
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => convertValue(key, x));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = convertValue(k, x);
    return out;
  }
  return v;
}
