// The page designer: palette, canvas (fluid rows/columns or grid), outline, property panel,
// data sources, actions and page settings; undo/redo, copy/paste (across pages, through
// localStorage), live preview at several widths, auto-saved drafts, publish, versions,
// export/import. Everything goes through the page API in packages/lowcode.
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { DndContext, DragOverlay, MeasuringStrategy, useDndMonitor, PointerSensor, pointerWithin, rectIntersection, useSensor, useSensors, type CollisionDetection, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { Alert, App as AntApp, Badge, Button, Divider, Empty, Input, Layout, Popconfirm, Segmented, Select, Space, Spin, Switch, Tabs, Tooltip, Tree, Typography, theme } from 'antd';
import { CloudUploadOutlined, CopyOutlined, DeleteOutlined, DownloadOutlined, HistoryOutlined, RedoOutlined, SaveOutlined, SnippetsOutlined, UndoOutlined, UploadOutlined } from '@ant-design/icons';
import { validatePage, type NodeDef, type PageDef, type WidgetMeta } from '@sreworks/lowcode/browser';
import { ApiError, type ApiClient } from '../runtime/api.js';
import { PageView } from '../runtime/PageView.js';
import { ServicesContext, type RuntimeServices } from '../runtime/services.js';
import { setSandboxApi, sharedSandbox } from '../runtime/sandbox/shared.js';
import { loadWidgetRegistry, type WidgetRegistry } from '../runtime/widgets.js';
import { loadComponentRegistry } from '../custom-components/registry.js';
import { Canvas } from './Canvas.js';
import { Palette } from './Palette.js';
import { SchemaForm } from './SchemaForm.js';
import { DataSourceEditor } from './DataSourceEditor.js';
import { ActionsEditor } from './ActionsEditor.js';
import { PageSettings } from './PageSettings.js';
import { Versions } from './Versions.js';
import { History, allNodes, convertLayout, duplicateNode, findNode, insertNode, locate, moveNode, newNode, parsePageFile, reId, removeNode, setGrid, setRowColumns, updateNode, type FluidTarget } from './model.js';

const CLIPBOARD_KEY = 'sw.designer.clipboard';
const AUTOSAVE_MS = 1500;
const WIDTHS = [
  { value: 375, label: 'Phone 375' },
  { value: 768, label: 'Tablet 768' },
  { value: 1280, label: 'Desktop 1280' },
  { value: 0, label: 'Full' },
];

export interface PageStatus {
  latestVersion: number;
  draftVersion: number | null;
  publishedVersion: number | null;
}

/** Drop zones are measured once when a drag starts (not on every change): the canvas does not move under the pointer. */
const MEASURING = { droppable: { strategy: MeasuringStrategy.BeforeDragging } };

/** Drop targets win over the sortable nodes under the pointer only when nothing else is hit. */
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length ? hits : rectIntersection(args);
};

function Outline({ page, selected, onSelect }: { page: PageDef; selected?: string; onSelect(id: string): void }) {
  const toTree = (nodes: NodeDef[]): any[] => nodes.map((n) => ({ key: n.id, title: `${n.title || n.id} · ${n.type}`, children: Object.entries(n.slots ?? {}).map(([slot, list]) => ({ key: `${n.id}/${slot}`, title: `[${slot}]`, selectable: false, children: toTree(list) })) }));
  const data =
    page.layout.kind === 'grid'
      ? toTree(page.layout.nodes)
      : page.layout.rows.map((r, i) => ({ key: `row:${i}`, title: `Row ${i + 1}`, selectable: false, children: r.cols.map((c, j) => ({ key: `col:${i}:${j}`, title: `Column ${j + 1} (span ${c.span})`, selectable: false, children: toTree(c.nodes) })) }));
  if (!data.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="The page is empty" />;
  return <Tree data-testid="sw-outline" treeData={data} defaultExpandAll selectedKeys={selected ? [selected] : []} onSelect={(k) => k[0] && onSelect(String(k[0]))} />;
}

/** The right panel, memoised: a drag or a save-status change does not re-render the forms. */
const Inspector = memo(function Inspector({ node, meta, page, services, epoch, setNode, onPageChange }: { node?: NodeDef; meta?: WidgetMeta; page: PageDef; services?: RuntimeServices; epoch: number; setNode(n: NodeDef): void; onPageChange(p: PageDef): void }) {
  const { token } = theme.useToken();
  return (
    <>
            {node ? (
              <>
                <Space style={{ marginBottom: 8 }}>
                  <Badge color={token.colorPrimary} />
                  <Typography.Text strong data-testid="sw-selected">{node.id}</Typography.Text>
                  <Typography.Text type="secondary">{meta?.name ?? node.type}</Typography.Text>
                </Space>
                <Tabs
                  size="small"
                  key={`${node.id}:${epoch}`}
                  items={[
                    {
                      key: 'props',
                      label: 'Properties',
                      children: (
                        <>
                          <Typography.Text strong style={{ fontSize: 12 }}>
                            Title
                          </Typography.Text>
                          <Input value={node.title ?? ''} onChange={(e) => setNode({ ...node, title: e.target.value || undefined })} data-testid="sw-node-title" style={{ marginBottom: 8 }} />
                          <Space style={{ marginBottom: 12 }}>
                            <span style={{ fontSize: 12 }}>frame</span>
                            <Select size="small" value={node.wrapper ?? 'card'} onChange={(w) => setNode({ ...node, wrapper: w === 'card' ? undefined : w })} options={[{ value: 'card', label: 'card' }, { value: 'none', label: 'none' }]} />
                            <span style={{ fontSize: 12 }}>visible when</span>
                            <Input size="small" style={{ width: 120, fontFamily: 'monospace' }} placeholder="expression" value={node.visibleWhen?.$expr ?? ''} onChange={(e) => setNode({ ...node, visibleWhen: e.target.value ? { $expr: e.target.value } : undefined })} />
                          </Space>
                          {meta ? <SchemaForm schema={meta.propsSchema} value={node.props ?? {}} onChange={(props) => setNode({ ...node, props })} /> : <Alert type="warning" title={`unknown widget type ${node.type}`} />}
                        </>
                      ),
                    },
                    { key: 'data', label: 'Data', children: <DataSourceEditor value={node.dataSource} page={page} svc={services} onChange={(dataSource) => setNode({ ...node, dataSource })} /> },
                    { key: 'actions', label: 'Actions', children: <ActionsEditor node={node} events={meta?.events ?? []} onChange={setNode} /> },
                    {
                      key: 'outputs',
                      label: 'Outputs',
                      children: (
                        <Input.TextArea
                          data-testid="sw-node-outputs"
                          placeholder='[{"param": "selected", "path": "id"}]'
                          defaultValue={node.outputs ? JSON.stringify(node.outputs) : ''}
                          onChange={(e) => {
                            try {
                              const v = e.target.value.trim() ? JSON.parse(e.target.value) : undefined;
                              setNode({ ...node, outputs: v });
                            } catch {
                              /* keep typing */
                            }
                          }}
                        />
                      ),
                    },
                  ]}
                />
              </>
            ) : (
              <Tabs size="small" items={[{ key: 'page', label: 'Page', children: <PageSettings key={epoch} page={page} onChange={onPageChange} /> }]} />
            )}
    </>
  );
});

/** The palette item under the pointer while dragging; its own state, so a drag start or end does not re-render the designer. */
function PaletteDragOverlay({ registry }: { registry: WidgetRegistry }) {
  const { token } = theme.useToken();
  const [dragging, setDragging] = useState<string>();
  const end = () => setDragging(undefined);
  useDndMonitor({ onDragStart: (e: DragStartEvent) => setDragging(String(e.active.id)), onDragEnd: end, onDragCancel: end });
  const meta = dragging?.startsWith('palette:') ? registry[dragging.slice(8)]?.meta : undefined;
  return <DragOverlay dropAnimation={null}>{meta ? <div style={{ padding: '4px 8px', background: token.colorPrimaryBg, border: `1px solid ${token.colorPrimary}`, borderRadius: 4, fontSize: 12 }}>{meta.name}</div> : null}</DragOverlay>;
}

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Designer({ api, appId, pageId, lang }: { api: ApiClient; appId: string; pageId: string; lang: 'en' | 'zh' }) {
  const { message, modal } = AntApp.useApp();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const base = `/api/lowcode/apps/${encodeURIComponent(appId)}/pages/${encodeURIComponent(pageId)}`;
  const history = useRef<History>(undefined);
  const [page, setPageState] = useState<PageDef>();
  const [loadError, setLoadError] = useState<string>();
  const [status, setStatus] = useState<PageStatus>();
  const [registry, setRegistry] = useState<WidgetRegistry>();
  const [selected, setSelected] = useState<string>();
  const [tab, setTab] = useState('design');
  const [width, setWidth] = useState(0);
  const [showWidgets, setShowWidgets] = useState(true);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState<'idle' | 'saving' | 'error'>('idle');
  const [saveError, setSaveError] = useState<string>();
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [, force] = useState(0);
  /** bumps on undo/redo/restore/import so editors holding text state re-read the page. */
  const [epoch, setEpoch] = useState(0);
  // the latest known version for optimistic locking: updated at once, not at the next render
  const statusRef = useRef<PageStatus>(undefined);
  /** the page object last stored on the server (publish saves first when the present differs). */
  const savedRef = useRef<PageDef>(undefined);
  const updateStatus = useCallback((s: PageStatus) => {
    statusRef.current = { latestVersion: s.latestVersion, draftVersion: s.draftVersion, publishedVersion: s.publishedVersion };
    setStatus(statusRef.current);
  }, []);

  // load: the draft (or published) version and the catalogue with stored components
  useEffect(() => {
    let live = true;
    api.request<{ page: PageDef; version: number }>('GET', `${base}?version=draft`).then(
      async (r) => {
        const s = (await api.request<{ items: (PageStatus & { pageId: string })[] }>('GET', `/api/lowcode/apps/${encodeURIComponent(appId)}/pages?limit=500`)).items.find((x) => x.pageId === pageId);
        if (!live) return;
        history.current = new History(r.page);
        savedRef.current = r.page;
        setPageState(r.page);
        updateStatus(s ?? { latestVersion: r.version, draftVersion: r.version, publishedVersion: null });
      },
      (e) => live && setLoadError((e as Error).message),
    );
    Promise.all([loadWidgetRegistry(), loadComponentRegistry(api, true)]).then(([w, c]) => live && setRegistry({ ...w, ...c }));
    return () => {
      live = false;
    };
  }, [api, base, appId, pageId, updateStatus]);

  const metas: WidgetMeta[] = useMemo(() => Object.values(registry ?? {}).map((e) => e.meta), [registry]);

  /**
   * Canvas edits (drop, move, delete) render as a transition: React renders in slices, so a big
   * page never blocks a frame long. Form edits (`urgent`) render at once: what was typed is what a
   * test-run or a save sees.
   */
  const commit = useCallback((next: PageDef, urgent = false) => {
    const h = history.current;
    if (!h || next === h.present) return;
    h.push(next);
    setDirty(true);
    if (urgent) setPageState(next);
    else startTransition(() => setPageState(next));
  }, []);
  const commitNow = useCallback((next: PageDef) => commit(next, true), [commit]);
  const undo = useCallback(() => {
    const h = history.current;
    if (!h?.canUndo) return;
    setPageState(h.undo());
    setEpoch((x) => x + 1);
    setDirty(true);
  }, []);
  const redo = useCallback(() => {
    const h = history.current;
    if (!h?.canRedo) return;
    setPageState(h.redo());
    setEpoch((x) => x + 1);
    setDirty(true);
  }, []);

  // ------------------------------------------------------------------------------- saving
  // saves run one after another (auto-save and publish never race on expectedVersion)
  const saveChain = useRef<Promise<boolean>>(Promise.resolve(true));
  const doSave = useCallback(
    async (p: PageDef, comment?: string): Promise<boolean> => {
      const r = validatePage(p);
      if (!r.ok) {
        setSaving('error');
        setSaveError(`not saved: ${r.errors[0]!.path}: ${r.errors[0]!.message}`);
        return false;
      }
      setSaving('saving');
      try {
        const s = await api.request<PageStatus>('PUT', `${base}/draft`, { page: r.page, comment, expectedVersion: statusRef.current?.latestVersion });
        savedRef.current = p;
        startTransition(() => {
          updateStatus(s);
          setSaving('idle');
          setSaveError(undefined);
          if (history.current?.present === p) setDirty(false);
        });
        return true;
      } catch (e) {
        setSaving('error');
        setSaveError(e instanceof ApiError && e.code === 'LOWCODE_PAGE_CHANGED' ? `${e.message}: someone else saved this page; reload to see their version (your edits stay here until then)` : (e as Error).message);
        return false;
      }
    },
    [api, base, updateStatus],
  );
  const save = useCallback(
    (p: PageDef, comment?: string): Promise<boolean> => {
      const run = saveChain.current.then(() => (p === savedRef.current ? true : doSave(p, comment)));
      saveChain.current = run.catch(() => false);
      return run;
    },
    [doSave],
  );
  // auto-save: a draft version after each pause in editing; a local copy at every edit
  useEffect(() => {
    if (!dirty || !page) return;
    try {
      localStorage.setItem(`sw.designer.draft.${appId}/${pageId}`, JSON.stringify(page));
    } catch {
      /* storage full: the server draft still gets saved */
    }
    const t = setTimeout(() => void save(page, 'auto-save'), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [dirty, page, save, appId, pageId]);

  const publish = async () => {
    const present = history.current?.present;
    if (!present) return;
    if (present !== savedRef.current && !(await save(present))) return message.error('fix the page before publishing: it could not be saved');
    try {
      const s = await api.request<PageStatus>('POST', `${base}/publish`, {});
      updateStatus(s);
      message.success(`published v${s.publishedVersion}`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  // ------------------------------------------------------------------------------ editing
  const addWidget = useCallback(
    (type: string, target: FluidTarget = { kind: 'newRow' }) => {
      const p = history.current?.present;
      const meta = registry?.[type]?.meta;
      if (!p || !meta) return;
      const n = newNode(p, meta);
      commit(insertNode(p, n, p.layout.kind === 'grid' ? { kind: 'grid' } : target));
      startTransition(() => setSelected(n.id));
    },
    [registry, commit],
  );
  const del = useCallback(
    (id: string) => {
      const p = history.current?.present;
      if (!p) return;
      commit(removeNode(p, id).page);
      setSelected((s) => (s === id ? undefined : s));
    },
    [commit],
  );
  const onRowColumns = useCallback((r: number, n: number) => history.current && commit(setRowColumns(history.current.present, r, n)), [commit]);
  const onDeleteRow = useCallback(
    (r: number) => {
      const p = history.current?.present;
      if (p?.layout.kind === 'fluid') commit({ ...p, layout: { ...p.layout, rows: p.layout.rows.filter((_, i) => i !== r) } });
    },
    [commit],
  );
  const onGridChange = useCallback((items: { i: string; x: number; y: number; w: number; h: number }[]) => history.current && commit(setGrid(history.current.present, items)), [commit]);
  const setNode = useCallback((n: NodeDef) => history.current && commit(updateNode(history.current.present, n.id, () => n), true), [commit]);
  const onPaletteAdd = useCallback((t: string) => addWidget(t), [addWidget]);
  const dup = useCallback((id: string) => history.current && commit(duplicateNode(history.current.present, id)), [commit]);
  const copy = useCallback(() => {
    const p = history.current?.present;
    const n = p && selected ? findNode(p, selected) : undefined;
    if (!n) return;
    localStorage.setItem(CLIPBOARD_KEY, JSON.stringify({ node: n, from: `${appId}/${pageId}` }));
    message.info(`copied ${n.id}`);
  }, [selected, appId, pageId, message]);
  const paste = useCallback(() => {
    const p = history.current?.present;
    const raw = localStorage.getItem(CLIPBOARD_KEY);
    if (!p || !raw) return;
    const node = reId(p, (JSON.parse(raw) as { node: NodeDef }).node);
    const at = selected ? locate(p, selected) : undefined;
    commit(insertNode(p, node, p.layout.kind === 'grid' ? { kind: 'grid' } : at ? { kind: 'fluid', row: at.row, col: at.col, index: at.index + 1 } : { kind: 'newRow' }));
    setSelected(node.id);
  }, [selected, commit]);

  // keyboard: undo/redo, copy/paste, delete (not while typing in a field)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, .cm-editor, [contenteditable=true]')) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        redo();
      }
      else if (mod && e.key.toLowerCase() === 'c') copy();
      else if (mod && e.key.toLowerCase() === 'v') paste();
      else if ((e.key === 'Delete' || e.key === 'Backspace') && selected) del(selected);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, copy, paste, del, selected]);

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  const onDragEnd = (e: DragEndEvent) => {
    const p = history.current?.present;
    const over = e.over ? String(e.over.id) : undefined;
    const active = String(e.active.id);
    if (!p || !over) return;
    let target: FluidTarget | undefined;
    if (over === 'grid') target = { kind: 'grid' };
    else if (over === 'newrow') target = { kind: 'newRow' };
    else if (over.startsWith('col:')) {
      const [, r, c] = over.split(':');
      target = { kind: 'fluid', row: Number(r), col: Number(c) };
    } else if (over.startsWith('node:')) {
      const at = locate(p, over.slice(5));
      if (at) target = { kind: 'fluid', row: at.row, col: at.col, index: at.index };
    }
    if (!target) return;
    if (active.startsWith('palette:')) addWidget(active.slice(8), target);
    else if (active.startsWith('node:') && active !== over) commit(moveNode(p, active.slice(5), target));
  };

  // ----------------------------------------------------------------------------- services
  setSandboxApi(api);
  const services: RuntimeServices | undefined = useMemo(
    () =>
      registry && {
        api,
        sandbox: sharedSandbox(),
        registry,
        lang,
        storage: window.localStorage,
        navigate: (to) => message.info(`preview: would open ${to}`),
        location: () => ({ href: location.href, origin: location.origin, pathname: `/apps/${appId}/${pageId}`, search: '', hash: '', query: {} }),
        notify: (level, text) => message[level](text),
      },
    [api, registry, lang, message, appId, pageId],
  );

  if (loadError) return <Alert type="error" showIcon title={loadError} data-testid="sw-designer-error" action={<Link to="/design">All apps</Link>} />;
  if (!page || !registry || !status) return <Spin style={{ margin: 48 }} />;

  const node = selected ? findNode(page, selected) : undefined;
  const meta = node ? registry[node.type]?.meta : undefined;
  const h = history.current!;

  const importFile = () => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'application/json,.json';
    input.onchange = async () => {
      const text = await input.files?.[0]?.text();
      if (text === undefined) return;
      importText(text);
    };
    input.click();
  };
  const importText = (text: string) => {
    const parsed = parsePageFile(text);
    if (!parsed.ok) return modal.error({ title: 'Cannot import this file', content: <span data-testid="sw-import-error">{parsed.message}</span> });
    const r = validatePage({ ...(parsed.page as object), app: appId, id: pageId });
    if (!r.ok) return modal.error({ title: 'Cannot import this file', content: <span data-testid="sw-import-error">{r.errors.slice(0, 5).map((x) => `${x.path}: ${x.message}`).join('; ')}</span> });
    commit(r.page, true);
    setEpoch((x) => x + 1);
    message.success('imported (not yet published)');
  };

  return (
    <DndContext sensors={sensors} collisionDetection={collision} measuring={MEASURING} onDragEnd={onDragEnd}>
      <Layout style={{ height: 'calc(100vh - 64px)' }} data-testid="sw-designer">
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '6px 12px', borderBottom: `1px solid ${token.colorBorderSecondary}`, background: token.colorBgContainer, flexWrap: 'wrap' }}>
          <Link to="/design">Apps</Link>/<Link to={`/design?app=${appId}`}>{appId}</Link>/<b>{page.title}</b>
          <Divider orientation="vertical" />
          <Tooltip title="Undo (Ctrl+Z)">
            <Button size="small" icon={<UndoOutlined />} disabled={!h.canUndo} onClick={undo} data-testid="sw-undo" />
          </Tooltip>
          <Tooltip title="Redo (Ctrl+Shift+Z)">
            <Button size="small" icon={<RedoOutlined />} disabled={!h.canRedo} onClick={redo} data-testid="sw-redo" />
          </Tooltip>
          <Tooltip title="Copy the selected widget (Ctrl+C; paste works on other pages too)">
            <Button size="small" icon={<CopyOutlined />} disabled={!node} onClick={copy} data-testid="sw-copy" />
          </Tooltip>
          <Tooltip title="Paste (Ctrl+V)">
            <Button size="small" icon={<SnippetsOutlined />} onClick={paste} data-testid="sw-paste" />
          </Tooltip>
          <Tooltip title="Delete the selected widget">
            <Button size="small" danger icon={<DeleteOutlined />} disabled={!node} onClick={() => node && del(node.id)} />
          </Tooltip>
          <Divider orientation="vertical" />
          <Segmented
            size="small"
            value={page.layout.kind}
            data-testid="sw-layout-kind"
            onChange={(k) => commit(convertLayout(page, k as 'fluid' | 'grid'))}
            options={[
              { value: 'fluid', label: 'Rows' },
              { value: 'grid', label: 'Grid' },
            ]}
          />
          <Space size={4}>
            <Switch size="small" checked={showWidgets} onChange={setShowWidgets} />
            <span style={{ fontSize: 12 }}>widgets on canvas</span>
          </Space>
          <div style={{ flex: 1 }} />
          <Typography.Text type={saving === 'error' ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="sw-save-state" data-state={dirty ? 'dirty' : saving}>
            {saving === 'saving' ? 'saving…' : saving === 'error' ? 'not saved' : dirty ? 'unsaved changes' : `saved v${status.latestVersion}`}
            {status.publishedVersion ? ` · published v${status.publishedVersion}` : ' · never published'}
          </Typography.Text>
          <Button size="small" icon={<SaveOutlined />} onClick={() => save(page, 'saved')} data-testid="sw-save">
            Save draft
          </Button>
          <Popconfirm title="Publish this page?" description="Every viewer gets this version." onConfirm={publish} okButtonProps={{ 'data-testid': 'sw-publish-ok' } as any}>
            <Button size="small" type="primary" icon={<CloudUploadOutlined />} data-testid="sw-publish">
              Publish
            </Button>
          </Popconfirm>
          <Button size="small" icon={<HistoryOutlined />} onClick={() => setVersionsOpen(true)} data-testid="sw-history">
            Versions
          </Button>
          <Button size="small" icon={<DownloadOutlined />} onClick={() => download(`${appId}-${pageId.replace(/\//g, '_')}.page.json`, page)} data-testid="sw-export">
            Export
          </Button>
          <Button size="small" icon={<UploadOutlined />} onClick={importFile} data-testid="sw-import">
            Import
          </Button>
          <Button size="small" onClick={() => navigate(`/apps/${appId}/${pageId}`)}>
            Open
          </Button>
        </div>
        {saveError && <Alert type="error" showIcon banner title={saveError} data-testid="sw-save-error" closable onClose={() => setSaveError(undefined)} />}
        <Layout style={{ flex: 1, minHeight: 0 }}>
          <Layout.Sider width={250} theme="light" style={{ overflow: 'auto', padding: 8, borderRight: `1px solid ${token.colorBorderSecondary}` }}>
            <Tabs
              size="small"
              items={[
                { key: 'palette', label: 'Widgets', children: <Palette metas={metas} onAdd={onPaletteAdd} /> },
                { key: 'outline', label: 'Outline', children: <Outline page={page} selected={selected} onSelect={setSelected} /> },
              ]}
            />
          </Layout.Sider>
          <Layout.Content style={{ overflow: 'auto', padding: 12, paddingBottom: 320, background: token.colorBgLayout }}>
            <Tabs
              size="small"
              activeKey={tab}
              onChange={setTab}
              tabBarExtraContent={tab === 'preview' ? <Segmented size="small" value={width} onChange={(v) => setWidth(v as number)} options={WIDTHS} data-testid="sw-preview-width" /> : undefined}
              items={[
                {
                  key: 'design',
                  label: 'Design',
                  children: <Canvas page={page} registry={registry} selected={selected} showWidgets={showWidgets} onSelect={setSelected} onDuplicate={dup} onDelete={del} onRowColumns={onRowColumns} onDeleteRow={onDeleteRow} onGridChange={onGridChange} />,
                },
                {
                  key: 'preview',
                  label: 'Preview',
                  children: services && (
                    <div data-testid="sw-preview" style={{ width: width || '100%', margin: '0 auto', border: width ? `1px solid ${token.colorBorder}` : undefined, padding: width ? 8 : 0, background: token.colorBgContainer, transition: 'width .2s' }}>
                      <ServicesContext.Provider value={services}>
                        <PageView page={page} query={new URLSearchParams()} />
                      </ServicesContext.Provider>
                    </div>
                  ),
                },
                { key: 'json', label: 'JSON', children: tab === 'json' ? <pre style={{ fontSize: 11 }} data-testid="sw-json">{JSON.stringify(page, null, 2)}</pre> : null },
              ]}
            />
          </Layout.Content>
          <Layout.Sider width={360} theme="light" style={{ overflow: 'auto', padding: 8, borderLeft: `1px solid ${token.colorBorderSecondary}` }}>
            <Inspector node={node} meta={meta} page={page} services={services} epoch={epoch} setNode={setNode} onPageChange={commitNow} />
          </Layout.Sider>
        </Layout>
      </Layout>
      <PaletteDragOverlay registry={registry} />
      <Versions
        open={versionsOpen}
        onClose={() => setVersionsOpen(false)}
        api={api}
        base={base}
        current={page}
        onRestore={(p, v) => {
          commit({ ...p, app: appId, id: pageId }, true);
          setEpoch((x) => x + 1);
          setVersionsOpen(false);
          message.success(`v${v} restored as the draft being edited`);
        }}
        onPublish={async (v) => {
          try {
            updateStatus(await api.request<PageStatus>('POST', `${base}/publish`, { version: v }));
            message.success(`published v${v}`);
            force((x) => x + 1);
          } catch (e) {
            message.error((e as Error).message);
          }
        }}
      />
      <span hidden data-testid="sw-node-count">{allNodes(page).length}</span>
    </DndContext>
  );
}
