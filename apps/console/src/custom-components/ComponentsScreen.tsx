// Custom components written in the browser (JSX, sandboxed) and remote components registered by
// URL (admins). The JSX editor compiles as you type and previews in the same sandbox iframe the
// page uses; saving creates a new version whose widget meta puts it in the designer's palette.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Form, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import { COMPONENT_NAME, ComponentDef, type ComponentRecord } from '@sreworks/lowcode/browser';
import type { ApiClient } from '../runtime/api.js';
import { CodeField } from '../designer/CodeField.js';
import { compileJsx } from './compile.js';
import { SandboxFrame } from './SandboxFrame.js';
import { loadComponentRegistry } from './registry.js';

export const STARTER = `// Component(props, ctx): props come from the property panel, ctx.data from the node's data
// source; ctx.emit(event, payload) fires page actions; ctx.setState re-renders.
function Component(props, ctx) {
  const rows = Array.isArray(ctx.data) ? ctx.data : [];
  return (
    <div style={{ padding: 8, borderRadius: 8, background: props.color }}>
      <h3 style={{ margin: 0 }}>{props.title}</h3>
      <p>{rows.length} rows · clicked {ctx.state.n || 0} times</p>
      <button onClick={() => { ctx.setState({ n: (ctx.state.n || 0) + 1 }); ctx.emit('click', { n: ctx.state.n }); }}>Click</button>
    </div>
  );
}
`;
const STARTER_META = JSON.stringify({ name: 'My card', category: 'display', description: 'A custom card', propsSchema: { type: 'object', properties: { title: { type: 'string', title: 'Title' }, color: { type: 'string', title: 'Background' } } }, defaults: { title: 'Hello', color: '#e6f4ff' }, events: ['click'] }, null, 2);

function JsxEditor({ api, initial, onSaved }: { api: ApiClient; initial?: ComponentRecord; onSaved(): void }) {
  const { message } = AntApp.useApp();
  const [name, setName] = useState(initial?.name ?? '');
  const [source, setSource] = useState(initial?.def.kind === 'jsx' ? initial.def.source : STARTER);
  const [metaText, setMetaText] = useState(initial ? JSON.stringify(initial.def.meta, null, 2) : STARTER_META);
  const [compiled, setCompiled] = useState<{ code?: string; error?: string; ms?: number }>({});
  const [events, setEvents] = useState<string[]>([]);
  useEffect(() => {
    const t = setTimeout(() => void compileJsx(source).then((r) => setCompiled(r.ok ? { code: r.code, ms: r.ms } : { error: r.error })), 250);
    return () => clearTimeout(t);
  }, [source]);
  let meta: any;
  let metaError: string | undefined;
  try {
    meta = JSON.parse(metaText);
  } catch (e) {
    metaError = `meta is not valid JSON: ${(e as Error).message}`;
  }
  const save = async () => {
    if (!COMPONENT_NAME.test(name)) return message.error('name: PascalCase, letters and digits (e.g. MyCard)');
    const def = { kind: 'jsx', source, meta };
    const r = ComponentDef.safeParse(def);
    if (!r.success) return message.error(`${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
    if (compiled.error) return message.error(compiled.error);
    try {
      const rec = await api.request<ComponentRecord>('PUT', `/api/lowcode/components/${name}`, { def: r.data, comment: 'saved in the component editor' });
      await loadComponentRegistry(api, true);
      message.success(`saved ${rec.type} v${rec.version}; it is in the designer palette`);
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <div style={{ display: 'flex', gap: 12 }} data-testid="sw-jsx-editor">
      <div style={{ flex: 1, minWidth: 0 }}>
        <Space style={{ marginBottom: 8 }}>
          <Input placeholder="ComponentName" value={name} onChange={(e) => setName(e.target.value)} disabled={Boolean(initial)} data-testid="sw-jsx-name" style={{ width: 200 }} />
          <Button type="primary" onClick={save} data-testid="sw-jsx-save">
            Save version
          </Button>
          {initial && <Tag>latest v{initial.version}</Tag>}
        </Space>
        <CodeField value={source} onChange={setSource} minHeight={260} testId="sw-jsx-source" signature="function Component(props, ctx: {data, state, setState(patch), emit(event, payload), setOutput(value)})" />
        <Typography.Text strong style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
          Widget meta (name, category, propsSchema, defaults, events)
        </Typography.Text>
        <CodeField language="json" value={metaText} onChange={setMetaText} minHeight={120} testId="sw-jsx-meta" />
        {metaError && <Typography.Text type="danger">{metaError}</Typography.Text>}
      </div>
      <Card size="small" title={`Preview${compiled.ms ? ` (compiled in ${Math.round(compiled.ms)} ms)` : ''}`} style={{ width: 380 }}>
        {compiled.error ? <Alert type="error" showIcon title={compiled.error} data-testid="sw-jsx-error" /> : compiled.code ? <SandboxFrame code={compiled.code} props={meta?.defaults ?? {}} data={meta?.mockData ?? [1, 2, 3]} onEvent={(ev, p) => setEvents((l) => [`${ev} ${JSON.stringify(p)}`, ...l].slice(0, 5))} testId="sw-jsx-preview" /> : null}
        {events.length > 0 && (
          <pre style={{ fontSize: 11 }} data-testid="sw-jsx-events">
            {events.join('\n')}
          </pre>
        )}
      </Card>
    </div>
  );
}

function RemoteForm({ api, onSaved }: { api: ApiClient; onSaved(): void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const save = async () => {
    const v = await form.validateFields();
    let meta: unknown;
    try {
      meta = JSON.parse(v.meta);
    } catch (e) {
      return message.error(`meta is not valid JSON: ${(e as Error).message}`);
    }
    const def = { kind: 'remote', format: v.format, url: v.url, global: v.global || undefined, tag: v.tag || undefined, meta };
    try {
      const rec = await api.request<ComponentRecord>('PUT', `/api/lowcode/remote-components/${v.name}`, { def });
      await loadComponentRegistry(api, true);
      message.success(`registered ${rec.type} v${rec.version}`);
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={{ format: 'esm', meta: JSON.stringify({ name: 'Remote widget', category: 'advanced', propsSchema: { type: 'object', properties: { text: { type: 'string' } } }, defaults: { text: 'hello' } }, null, 2) }} style={{ maxWidth: 640 }} data-testid="sw-remote-form">
      <Typography.Paragraph type="secondary">
        Remote components run with the console's privileges: only platform admins may register them. ES modules must export <code>mount(element, {'{props, data, emit, setOutput}'})</code> returning <code>{'{update, unmount}'}</code> and be served with CORS; UMD bundles set <code>window[global]</code> with the same <code>mount</code> and find React and antd in <code>window.SREWorksShared</code>; Vue 3 components register a custom element.
      </Typography.Paragraph>
      <Form.Item name="name" label="Name" rules={[{ required: true, pattern: COMPONENT_NAME, message: 'PascalCase' }]}>
        <Input data-testid="sw-remote-name" />
      </Form.Item>
      <Form.Item name="format" label="Format">
        <Select options={[{ value: 'esm', label: 'ES module' }, { value: 'umd', label: 'UMD bundle (shared React/antd)' }, { value: 'vue', label: 'Vue 3 custom element' }]} data-testid="sw-remote-format" />
      </Form.Item>
      <Form.Item name="url" label="URL" rules={[{ required: true }]}>
        <Input data-testid="sw-remote-url" placeholder="https://…/widget.js" />
      </Form.Item>
      <Form.Item name="global" label="UMD global name">
        <Input />
      </Form.Item>
      <Form.Item name="tag" label="Custom element tag (Vue)">
        <Input placeholder="my-widget" />
      </Form.Item>
      <Form.Item name="meta" label="Widget meta (JSON)">
        <Input.TextArea autoSize={{ minRows: 4 }} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="sw-remote-meta" />
      </Form.Item>
      <Button type="primary" onClick={save} data-testid="sw-remote-save">
        Register version
      </Button>
    </Form>
  );
}

export function ComponentsScreen({ api }: { api: ApiClient }) {
  const [items, setItems] = useState<ComponentRecord[]>();
  const [editing, setEditing] = useState<ComponentRecord | 'new'>('new');
  const [error, setError] = useState<string>();
  const reload = useCallback(() => api.request<{ items: ComponentRecord[] }>('GET', '/api/lowcode/components').then((r) => setItems(r.items), (e) => setError((e as Error).message)), [api]);
  useEffect(() => void reload(), [reload]);
  return (
    <div style={{ padding: 24 }} data-testid="sw-components">
      <Space style={{ marginBottom: 12 }}>
        <Link to="/design">← Apps</Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          Components
        </Typography.Title>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
        <Card size="small" title="Stored" style={{ width: 260 }} extra={<Button size="small" onClick={() => setEditing('new')}>New JSX</Button>}>
          <List
            size="small"
            dataSource={items ?? []}
            renderItem={(c) => (
              <List.Item onClick={() => c.kind === 'jsx' && setEditing(c)} style={{ cursor: c.kind === 'jsx' ? 'pointer' : undefined }} data-testid="sw-component">
                <Space>
                  <b>{c.name}</b>
                  <Tag color={c.kind === 'jsx' ? 'purple' : 'orange'}>{c.kind === 'jsx' ? 'JSX' : c.def.kind === 'remote' ? c.def.format : ''}</Tag>v{c.version}
                </Space>
              </List.Item>
            )}
          />
        </Card>
        <Card size="small" style={{ flex: 1, minWidth: 0 }}>
          <Tabs
            items={[
              { key: 'jsx', label: 'JSX component', children: <JsxEditor key={editing === 'new' ? 'new' : `${editing.name}:${editing.version}`} api={api} initial={editing === 'new' ? undefined : editing} onSaved={() => void reload()} /> },
              { key: 'remote', label: 'Remote component', children: <RemoteForm api={api} onSaved={() => void reload()} /> },
            ]}
          />
        </Card>
      </div>
    </div>
  );
}
