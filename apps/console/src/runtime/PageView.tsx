// The page runtime: renders a PageDef (fluid rows or a 12-column grid), keeps the page params
// (URL query + filters + node outputs), loads data sources, resolves dynamic props, evaluates
// visibility, runs actions. Every node has its own error boundary: one broken node never takes
// the page down.
import { Component, Suspense, createContext, lazy, useCallback, useContext, useEffect, useMemo, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import { getPath, hasTemplate, isDynamic, renderTemplate, validatePage, type DataSourceDef, type NodeDef, type PageDef, type WidgetRenderProps, type OpenFormAction } from '@sreworks/lowcode/browser';
import { useServices, evalExpression, runFunction, type RuntimeServices } from './services.js';
import { loadDataSource, dataSourceDeps, missingDeps } from './data.js';
import { ConfirmDialog, FormDialog, runActions, type ActionHost, type DialogState } from './actions.js';
import { JsxView } from './JsxView.js';
import { pick, t } from '../shell/i18n.js';

// ---------------------------------------------------------------------------------- page state

interface DsState {
  data?: unknown;
  loading: boolean;
  error?: string;
  /** params the source waits for. */
  waiting?: string[];
}

interface PageCtx {
  page: PageDef;
  ns: string;
  params: Record<string, unknown>;
  setParams(patch: Record<string, unknown>): void;
  /** per node id / data source name refresh counters. */
  ticks: Record<string, number>;
  refresh(targets?: string[]): void;
  pageData: Record<string, DsState>;
  host: ActionHost;
}

const PageContext = createContext<PageCtx | null>(null);

function usePage(): PageCtx {
  const c = useContext(PageContext);
  if (!c) throw new Error('node rendered outside a page');
  return c;
}

function coerce(v: string, type: string): unknown {
  if (type === 'number') return v === '' ? undefined : Number(v);
  if (type === 'boolean') return v === 'true' || v === '1';
  if (type === 'json') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function initialParams(page: PageDef, query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(page.params)) {
    if (def.default !== undefined) out[name] = def.default;
    const q = query.get(name);
    if (def.from === 'url' && q !== null) out[name] = coerce(q, def.type);
  }
  // undeclared query params still reach templates (SREWorks pages read any of them)
  for (const [k, v] of query) if (!(k in page.params)) out[k] = v;
  return out;
}

export interface PageViewProps {
  page: PageDef;
  /** the URL query (page params with from: "url"). */
  query: URLSearchParams;
  /** writes the URL params back (replace, not push). */
  onQueryChange?(query: URLSearchParams): void;
  /** extra scope for templates (the current user). */
  user?: Record<string, unknown>;
}

export function PageView(props: PageViewProps) {
  const svc = useServices();
  const check = useMemo(() => validatePage(props.page, Object.values(svc.registry).length ? Object.fromEntries(Object.entries(svc.registry).map(([k, e]) => [k, e.meta])) : undefined), [props.page, svc.registry]);
  if (!check.ok) {
    // unknown widgets render as labelled placeholders; anything else wrong stops the page
    const fatal = check.errors.filter((e) => !/unknown widget type/.test(e.message) && !/props\./.test(e.path) && !/emits no event/.test(e.message));
    if (fatal.length) {
      return (
        <Alert
          type="error"
          showIcon
          data-testid="sw-page-invalid"
          title={t(svc.lang, 'runtime.pageInvalid')}
          description={
            <ul style={{ margin: 0 }}>
              {fatal.slice(0, 20).map((e, i) => (
                <li key={i}>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          }
        />
      );
    }
  }
  return <PageBody {...props} />;
}

function PageBody({ page, query, onQueryChange, user }: PageViewProps) {
  const svc = useServices();
  const ns = `${page.app}/${page.id}`;
  const [params, setParamsState] = useState<Record<string, unknown>>(() => initialParams(page, query));
  const [ticks, setTicks] = useState<Record<string, number>>({});
  const [pageData, setPageData] = useState<Record<string, DsState>>({});
  const [dialogs, setDialogs] = useState<DialogState[]>([]);
  const dialogId = useRef(0);
  const paramsRef = useRef(params);
  paramsRef.current = params;

  // back/forward or a link to the same page with other params
  const queryKey = query.toString();
  useEffect(() => {
    const next = initialParams(page, new URLSearchParams(queryKey));
    setParamsState((prev) => {
      const merged = { ...prev };
      let changed = false;
      for (const [name, def] of Object.entries(page.params)) {
        if (def.from !== 'url') continue;
        if (JSON.stringify(merged[name]) !== JSON.stringify(next[name])) {
          merged[name] = next[name];
          changed = true;
        }
      }
      return changed ? merged : prev;
    });
  }, [queryKey, page]);

  const setParams = useCallback(
    (patch: Record<string, unknown>) => {
      setParamsState((prev) => {
        const next = { ...prev };
        let changed = false;
        for (const [k, v] of Object.entries(patch)) {
          if (JSON.stringify(prev[k]) === JSON.stringify(v)) continue;
          changed = true;
          if (v === undefined) delete next[k];
          else next[k] = v;
        }
        if (!changed) return prev;
        if (onQueryChange) {
          const q = new URLSearchParams(queryKey);
          let urlChanged = false;
          for (const [k, def] of Object.entries(page.params)) {
            if (def.from !== 'url' || !(k in patch)) continue;
            const v = next[k];
            const s = v === undefined || v === null || v === '' ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
            if (q.get(k) !== s) {
              urlChanged = true;
              if (s === null) q.delete(k);
              else q.set(k, s);
            }
          }
          if (urlChanged) queueMicrotask(() => onQueryChange(q));
        }
        return next;
      });
    },
    [onQueryChange, page.params, queryKey],
  );

  const refresh = useCallback((targets?: string[]) => {
    setTicks((prev) => {
      const next = { ...prev };
      if (!targets || !targets.length) next['*'] = (next['*'] ?? 0) + 1;
      else for (const tg of targets) next[tg] = (next[tg] ?? 0) + 1;
      return next;
    });
  }, []);

  const host: ActionHost = useMemo(
    () => ({
      svc,
      ns,
      get params() {
        return paramsRef.current;
      },
      setParams,
      refresh,
      openForm: (action: OpenFormAction, scope: Record<string, unknown>) =>
        new Promise((resolve) => setDialogs((d) => [...d, { id: ++dialogId.current, kind: 'form', action, scope, title: action.title, resolve: resolve as (v: unknown) => void }])),
      confirm: (title: string, content: string | undefined, danger: boolean) =>
        new Promise<boolean>((resolve) => setDialogs((d) => [...d, { id: ++dialogId.current, kind: 'confirm', scope: {}, title, content, danger, resolve: resolve as (v: unknown) => void }])),
    }),
    [svc, ns, setParams, refresh],
  );

  const scopeParams = useMemo(() => ({ ...params, __currentUser__: user, user }), [params, user]);
  const ctx: PageCtx = { page, ns, params: scopeParams, setParams, ticks, refresh, pageData, host };

  return (
    <PageContext.Provider value={ctx}>
      {Object.entries(page.dataSources).map(([name, def]) => (
        <PageDataSource key={name} name={name} def={def} onState={(s) => setPageData((p) => ({ ...p, [name]: s }))} />
      ))}
      <div className="sw-page" data-testid="sw-page" data-page={ns}>
        {page.layout.kind === 'fluid' ? (
          page.layout.rows.map((row, ri) => (
            <Row key={row.id ?? ri} gutter={[16, 16]} style={{ marginBottom: 16 }}>
              {row.cols.map((col, ci) => (
                <Col key={ci} xs={24} md={col.span}>
                  <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                    {col.nodes.map((n) => (
                      <NodeView key={n.id} node={n} />
                    ))}
                  </Space>
                </Col>
              ))}
            </Row>
          ))
        ) : (
          <div
            className="sw-grid"
            style={{ display: 'grid', gridTemplateColumns: 'repeat(12, minmax(0, 1fr))', gridAutoRows: `${page.layout.rowHeight}px`, gap: `${page.layout.margin[1]}px ${page.layout.margin[0]}px` }}
          >
            {page.layout.nodes.map((n) => (
              <div key={n.id} style={{ gridColumn: `${(n.grid?.x ?? 0) + 1} / span ${n.grid?.w ?? 12}`, gridRow: `${(n.grid?.y ?? 0) + 1} / span ${n.grid?.h ?? 10}`, minWidth: 0, overflow: 'auto' }}>
                <NodeView node={n} />
              </div>
            ))}
          </div>
        )}
      </div>
      {dialogs.map((d) =>
        d.kind === 'form' ? (
          <FormDialog key={d.id} dialog={d} host={host} onClose={() => setDialogs((list) => list.filter((x) => x.id !== d.id))} />
        ) : (
          <ConfirmDialog key={d.id} dialog={d} onClose={() => setDialogs((list) => list.filter((x) => x.id !== d.id))} />
        ),
      )}
    </PageContext.Provider>
  );
}

// ---------------------------------------------------------------------------------- data hooks

function useDataSource(def: DataSourceDef | undefined, scope: Record<string, unknown>, tick: number): DsState {
  const svc = useServices();
  const { ns } = usePage();
  const [state, setState] = useState<DsState>({ loading: Boolean(def) });
  const [interval, setIntervalTick] = useState(0);
  const deps = useMemo(() => (def ? dataSourceDeps(def) : []), [def]);
  const waiting = def ? missingDeps(def, scope) : [];
  const key = def ? JSON.stringify([deps.map((d) => getPath(scope, d)), tick, interval, waiting]) : '';
  const scopeRef = useRef(scope);
  scopeRef.current = scope;
  useEffect(() => {
    if (!def) return;
    if (waiting.length) {
      setState({ loading: false, waiting });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    loadDataSource(svc, def, { ...scopeRef.current, params: scopeRef.current }, ns, ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, loading: false }),
      (e) => !ctl.signal.aborted && setState({ loading: false, error: (e as Error).message ?? String(e) }),
    );
    return () => ctl.abort();
    // key captures every input that matters
  }, [key]);
  useEffect(() => {
    if (!def?.refreshMs) return;
    const h = setInterval(() => setIntervalTick((n) => n + 1), def.refreshMs);
    return () => clearInterval(h);
  }, [def?.refreshMs]);
  return def ? state : { loading: false };
}

function PageDataSource({ name, def, onState }: { name: string; def: DataSourceDef; onState(s: DsState): void }) {
  const page = usePage();
  const tick = (page.ticks['*'] ?? 0) + (page.ticks[name] ?? 0);
  const state = useDataSource(def, page.params, tick);
  const { setParams } = page;
  useEffect(() => {
    onState(state);
    if (def.toParams && state.data && typeof state.data === 'object' && !Array.isArray(state.data)) setParams(state.data as Record<string, unknown>);
  }, [state]);
  return null;
}

// ---------------------------------------------------------------------------------- props

interface ResolvedProps {
  props: Record<string, unknown>;
  error?: string;
  pending: boolean;
}

/** Resolves templates synchronously and `$expr` in the sandbox; `$fn`/`$jsx` become callables. */
function useResolvedProps(raw: Record<string, unknown> | undefined, scope: Record<string, unknown>): ResolvedProps {
  const svc = useServices();
  const { ns } = usePage();
  // data can be large (10k rows): compare it by identity, the params by value
  const scopeKey = JSON.stringify({ ...scope, data: undefined }) + '#' + objectId(scope.data);
  const { base, exprs } = useMemo(() => {
    const exprs: { path: (string | number)[]; code: string }[] = [];
    const build = (v: unknown, path: (string | number)[]): unknown => {
      if (typeof v === 'string') return hasTemplate(v) ? renderTemplate(v, scope) : v;
      if (Array.isArray(v)) return v.map((x, i) => build(x, [...path, i]));
      if (v && typeof v === 'object') {
        if (isDynamic(v)) {
          const d = v as Record<string, unknown>;
          if ('$tpl' in d) return renderTemplate(String(d.$tpl), scope);
          if ('$expr' in d) {
            exprs.push({ path, code: String(d.$expr) });
            return undefined;
          }
          if ('$fn' in d) return (...args: unknown[]) => runFunction(svc, String(d.$fn), args, ['arg0', 'arg1', 'arg2'], { ns });
          if ('$jsx' in d) return jsxRenderer(String(d.$jsx), scope, ns);
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = build(x, [...path, k]);
        return out;
      }
      return v;
    };
    return { base: build(raw ?? {}, []) as Record<string, unknown>, exprs };
    // scope is compared by value (scopeKey)
  }, [raw, scopeKey, svc, ns]);
  const exprKey = JSON.stringify(exprs);
  const [evaluated, setEvaluated] = useState<{ key: string; values: unknown[]; error?: string }>({ key: '', values: [] });
  useEffect(() => {
    if (!exprs.length) return;
    let live = true;
    const k = exprKey + scopeKey;
    Promise.all(exprs.map((e) => evalExpression(svc, e.code, { ...scope, params: scope, nodeParams: scope }, { ns }))).then(
      (values) => live && setEvaluated({ key: k, values }),
      (e) => live && setEvaluated({ key: k, values: [], error: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [exprKey, scopeKey]);
  if (!exprs.length) return { props: base, pending: false };
  if (evaluated.key !== exprKey + scopeKey) return { props: base, pending: true };
  if (evaluated.error) return { props: base, pending: false, error: evaluated.error };
  const props = structuredCloneSafe(base);
  exprs.forEach((e, i) => setAt(props, e.path, evaluated.values[i]));
  return { props, pending: false };
}

const ids = new WeakMap<object, number>();
let nextObjectId = 1;
function objectId(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'u';
  let id = ids.get(v);
  if (!id) ids.set(v, (id = nextObjectId++));
  return `o${id}`;
}

function structuredCloneSafe(v: Record<string, unknown>): Record<string, unknown> {
  const copy = (x: unknown): unknown => (Array.isArray(x) ? x.map(copy) : x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, copy(y)])) : x);
  return copy(v) as Record<string, unknown>;
}

function setAt(obj: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: any = obj;
  for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]!];
  cur[path[path.length - 1]!] = value;
}

/**
 * A `$jsx` prop becomes a render function. Called with one object it is the local scope; called
 * antd-style `(value, row, index)` (table cells) it gets {value, row, record, index}.
 */
function jsxRenderer(source: string, scope: Record<string, unknown>, ns: string) {
  return (...args: unknown[]): ReactNode => {
    const locals = args.length >= 2 ? { value: args[0], row: args[1], record: args[1], index: args[2] } : args[0] && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : { value: args[0] };
    return <JsxView source={source} scope={{ ...scope, params: scope, nodeParams: scope, ...locals }} ns={ns} />;
  };
}

// ---------------------------------------------------------------------------------- nodes

class NodeBoundary extends Component<{ id: string; lang: 'en' | 'zh'; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="sw-node" data-node={this.props.id}>
        <Alert
          type="error"
          showIcon
          data-testid="sw-node-error"
          title={t(this.props.lang, 'runtime.nodeError')}
          description={this.state.error.message}
          action={
            <Button size="small" onClick={() => this.setState({ error: undefined })}>
              {t(this.props.lang, 'common.retry')}
            </Button>
          }
        />
        </div>
      );
    }
    return this.props.children;
  }
}

const lazyWidgets = new Map<string, ComponentType<WidgetRenderProps<any>>>();
function widgetComponent(svc: RuntimeServices, type: string): ComponentType<WidgetRenderProps<any>> | undefined {
  const entry = svc.registry[type];
  if (!entry) return undefined;
  let c = lazyWidgets.get(type);
  if (!c || (c as any).__entry !== entry) {
    c = lazy(async () => ({ default: await entry.load() }));
    (c as any).__entry = entry;
    lazyWidgets.set(type, c);
  }
  return c;
}

export function NodeView({ node }: { node: NodeDef }) {
  const svc = useServices();
  return (
    <NodeBoundary id={node.id} lang={svc.lang}>
      <NodeGate node={node} />
    </NodeBoundary>
  );
}

/** Visibility and required params come first: a hidden node loads nothing. */
function NodeGate({ node }: { node: NodeDef }) {
  const svc = useServices();
  const page = usePage();
  const missing = (node.dependsOn ?? []).filter((p) => page.params[p] === undefined || page.params[p] === null || page.params[p] === '');
  const [visible, setVisible] = useState<{ key: string; value: boolean; error?: string } | undefined>();
  const visKey = node.visibleWhen ? node.visibleWhen.$expr + JSON.stringify(page.params) : '';
  useEffect(() => {
    if (!node.visibleWhen) return;
    let live = true;
    evalExpression(svc, node.visibleWhen.$expr, { ...page.params, params: page.params, nodeParams: page.params }, { ns: page.ns }).then(
      (v) => live && setVisible({ key: visKey, value: Boolean(v) }),
      (e) => live && setVisible({ key: visKey, value: true, error: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [visKey]);
  if (missing.length) return <Typography.Text type="secondary" data-testid="sw-node-waiting">{t(svc.lang, 'runtime.waiting', { params: missing.join(', ') })}</Typography.Text>;
  if (node.visibleWhen) {
    if (!visible) return null;
    if (visible.error) return <Alert type="warning" showIcon title={`visibleWhen: ${visible.error}`} data-testid="sw-node-error" />;
    if (!visible.value) return null;
  }
  return <NodeBody node={node} />;
}

function NodeBody({ node }: { node: NodeDef }) {
  const svc = useServices();
  const page = usePage();
  const [query, setQuery] = useState<Record<string, unknown>>({});
  const scope = useMemo(() => ({ ...page.params, query }), [page.params, query]);
  const inline = typeof node.dataSource === 'object' ? node.dataSource : undefined;
  const tick = (page.ticks['*'] ?? 0) + (page.ticks[node.id] ?? 0);
  const own = useDataSource(inline, scope, tick);
  const ds: DsState = typeof node.dataSource === 'string' ? (page.pageData[node.dataSource] ?? { loading: true }) : own;
  const resolved = useResolvedProps(node.props, { ...scope, data: ds.data });
  const { host, setParams } = page;
  const emit = useCallback(
    (event: string, payload?: unknown) => {
      const list = node.actions?.[event];
      if (!list) return;
      // widgets send rows either bare or as {action, row} (row actions)
      const row = payload && typeof payload === 'object' && 'row' in payload ? (payload as { row: unknown }).row : payload;
      void runActions(host, list, { event: payload, row, node: node.id });
    },
    [node, host],
  );
  const setOutput = useCallback(
    (value: unknown) => {
      if (!node.outputs?.length) return;
      const patch: Record<string, unknown> = {};
      for (const o of node.outputs) patch[o.param] = o.path ? getPath(value, o.path) : value;
      setParams(patch);
    },
    [node.outputs, setParams],
  );
  const setQueryStable = useCallback((q: Record<string, unknown>) => setQuery((prev) => (JSON.stringify(prev) === JSON.stringify(q) ? prev : q)), []);
  const slots = useMemo(() => {
    if (!node.slots) return undefined;
    const out: Record<string, ReactNode> = {};
    for (const [k, list] of Object.entries(node.slots))
      out[k] = (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {list.map((c) => (
            <NodeView key={c.id} node={c} />
          ))}
        </Space>
      );
    return out;
  }, [node.slots]);

  let body: ReactNode;
  if (node.type === 'Jsx') {
    const tpl = resolved.props.template;
    body = node.dataSource && ds.data === undefined && !ds.error ? <Skeleton active paragraph={{ rows: 1 }} /> : typeof tpl === 'function' ? (ds.error ? null : (tpl as (l: Record<string, unknown>) => ReactNode)({ data: ds.data, loading: ds.loading })) : <Alert type="warning" showIcon title="Jsx node needs props.template ({$jsx})" />;
    if (ds.error) body = <Alert type="error" showIcon data-testid="sw-node-error" title={ds.error} />;
  } else if (node.type === 'Unsupported') {
    const p = resolved.props;
    body = <Empty data-testid="sw-unsupported" image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span>{String(p.label ?? t(svc.lang, 'runtime.unsupported'))}</span>} />;
  } else {
    const W = widgetComponent(svc, node.type);
    if (!W) {
      body = <Alert type="warning" showIcon data-testid="sw-unknown-widget" title={t(svc.lang, 'runtime.unknownWidget', { type: node.type })} />;
    } else if (resolved.error) {
      body = <Alert type="error" showIcon data-testid="sw-node-error" title={resolved.error} />;
    } else {
      body = (
        <Suspense fallback={<Skeleton active />}>
          {ds.waiting ? (
            <Typography.Text type="secondary" data-testid="sw-node-waiting">{t(svc.lang, 'runtime.waiting', { params: ds.waiting.join(', ') })}</Typography.Text>
          ) : (
            <W props={resolved.props} data={ds.data} loading={ds.loading || resolved.pending} error={ds.error} emit={emit} setOutput={setOutput} api={svc.api} slots={slots} setQuery={setQueryStable} />
          )}
        </Suspense>
      );
      // the widget shows its data error itself (WidgetRenderProps.error); the node is marked
    }
  }
  const toolbar = (node.toolbar ?? []).map((b) => (
    <Button key={b.key} type={b.type ?? 'default'} danger={b.danger} size="small" data-testid={`sw-toolbar-${node.id}-${b.key}`} onClick={() => emit(`toolbar.${b.key}`)}>
      {pick(svc.lang, b.label, b.labelZh)}
    </Button>
  ));
  const title = pick(svc.lang, node.title, node.titleZh);
  if (node.wrapper === 'none') {
    return (
      <div className="sw-node" data-node={node.id} data-type={node.type} data-error={ds.error}>
        {toolbar.length > 0 && <Space style={{ marginBottom: 8 }}>{toolbar}</Space>}
        {body}
      </div>
    );
  }
  return (
    <Card className="sw-node" data-node={node.id} data-type={node.type} data-error={ds.error} size="small" title={title || undefined} extra={toolbar.length ? <Space>{toolbar}</Space> : undefined} style={{ height: '100%' }}>
      {body}
    </Card>
  );
}
