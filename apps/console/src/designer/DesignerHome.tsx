// The designer's start screen: ops apps with their pages; create an app (with its menu), create
// a page from a template (added to the app menu), open the designer, export an app with pages.
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import { AppstoreAddOutlined, DownloadOutlined, FileAddOutlined } from '@ant-design/icons';
import type { AppManifest, MenuItem, PageDef } from '@sreworks/lowcode/browser';
import type { ApiClient } from '../runtime/api.js';
import { PAGE_TEMPLATES } from './model.js';

interface AppRow extends AppManifest {
  source: string;
}
interface PageRow {
  pageId: string;
  title: string;
  draftVersion: number | null;
  publishedVersion: number | null;
  latestVersion: number;
}

export function DesignerHome({ api }: { api: ApiClient }) {
  const [apps, setApps] = useState<AppRow[]>();
  const [error, setError] = useState<string>();
  const [query] = useSearchParams();
  const [current, setCurrent] = useState<string | undefined>(query.get('app') ?? undefined);
  const [pages, setPages] = useState<PageRow[]>();
  const [newApp, setNewApp] = useState(false);
  const [newPage, setNewPage] = useState(false);
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [appForm] = Form.useForm();
  const [pageForm] = Form.useForm();

  const loadApps = useCallback(() => api.request<{ items: AppRow[] }>('GET', '/api/lowcode/apps?limit=500').then((r) => setApps(r.items), (e) => setError((e as Error).message)), [api]);
  useEffect(() => void loadApps(), [loadApps]);
  useEffect(() => {
    if (!current) return setPages(undefined);
    api.request<{ items: PageRow[] }>('GET', `/api/lowcode/apps/${encodeURIComponent(current)}/pages?limit=500`).then((r) => setPages(r.items), (e) => setError((e as Error).message));
  }, [api, current]);
  const app = apps?.find((a) => a.id === current);

  const createApp = async () => {
    const v = await appForm.validateFields();
    const manifest: AppManifest = { id: v.id, name: v.name, icon: v.icon || undefined, description: v.description || undefined, menu: [] };
    try {
      await api.request('PUT', `/api/lowcode/apps/${encodeURIComponent(v.id)}`, { manifest });
      setNewApp(false);
      appForm.resetFields();
      await loadApps();
      setCurrent(v.id);
      message.success(`app ${v.id} created`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const createPage = async () => {
    if (!app) return;
    const v = await pageForm.validateFields();
    const tpl = PAGE_TEMPLATES.find((t) => t.key === v.template) ?? PAGE_TEMPLATES[0]!;
    const page: PageDef = tpl.build(app.id, v.id, v.title);
    try {
      await api.request('PUT', `/api/lowcode/apps/${encodeURIComponent(app.id)}/pages/${encodeURIComponent(v.id)}/draft`, { page, comment: `created from template ${tpl.key}` });
      if (v.menu) {
        const { source: _s, ...manifest } = app as AppRow & { updatedAt?: string };
        delete (manifest as { updatedAt?: string }).updatedAt;
        const item: MenuItem = { key: v.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z_]/, 'p$&'), label: v.title, page: v.id };
        const next = { ...manifest, menu: [...(manifest.menu ?? []), item], home: manifest.home ?? v.id };
        await api.request('PUT', `/api/lowcode/apps/${encodeURIComponent(app.id)}`, { manifest: next });
        await loadApps();
      }
      setNewPage(false);
      pageForm.resetFields();
      navigate(`/design/${app.id}/${v.id}`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const exportApp = async (version: 'published' | 'draft') => {
    if (!app) return;
    try {
      const bundle = await api.request('GET', `/api/lowcode/apps/${encodeURIComponent(app.id)}/export?version=${version}`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${app.id}.app.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <div style={{ padding: 24, display: 'flex', gap: 16, alignItems: 'flex-start' }} data-testid="sw-designer-home">
      <Card title="Ops apps" style={{ width: 320 }} extra={<Button icon={<AppstoreAddOutlined />} onClick={() => setNewApp(true)} data-testid="sw-new-app">New app</Button>}>
        {error && <Alert type="error" showIcon title={error} />}
        <List
          size="small"
          loading={!apps && !error}
          dataSource={apps ?? []}
          renderItem={(a) => (
            <List.Item onClick={() => setCurrent(a.id)} style={{ cursor: 'pointer', background: a.id === current ? 'rgba(22,119,255,.08)' : undefined }} data-testid="sw-design-app" data-app={a.id}>
              <Space>
                <b>{a.name}</b>
                <Typography.Text type="secondary">{a.id}</Typography.Text>
                {a.source === 'builtin' && <Tag>built-in</Tag>}
              </Space>
            </List.Item>
          )}
        />
        <Link to="/design/components">Custom and remote components →</Link>
      </Card>
      <Card
        style={{ flex: 1 }}
        title={app ? `Pages of ${app.name}` : 'Pick an app'}
        extra={
          app && (
            <Space>
              <Button onClick={() => exportApp('published')} icon={<DownloadOutlined />}>
                Export app
              </Button>
              <Button onClick={() => exportApp('draft')}>Export drafts</Button>
              <Button type="primary" icon={<FileAddOutlined />} onClick={() => setNewPage(true)} data-testid="sw-new-page">
                New page
              </Button>
            </Space>
          )
        }
      >
        {app && (
          <List
            size="small"
            dataSource={pages ?? []}
            loading={!pages}
            renderItem={(p) => (
              <List.Item
                data-testid="sw-design-page"
                actions={[
                  <Link key="e" to={`/design/${app.id}/${p.pageId}`}>
                    Edit
                  </Link>,
                  <Link key="o" to={`/apps/${app.id}/${p.pageId}`}>
                    Open
                  </Link>,
                ]}
              >
                <Space>
                  <b>{p.title}</b>
                  <Typography.Text type="secondary">{p.pageId}</Typography.Text>
                  {p.publishedVersion ? <Tag color="green">published v{p.publishedVersion}</Tag> : <Tag>draft only</Tag>}
                  {p.draftVersion && p.draftVersion !== p.publishedVersion ? <Tag color="blue">draft v{p.draftVersion}</Tag> : null}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Modal open={newApp} title="New ops app" onOk={createApp} onCancel={() => setNewApp(false)} okButtonProps={{ 'data-testid': 'sw-new-app-ok' } as any} destroyOnHidden>
        <Form form={appForm} layout="vertical">
          <Form.Item name="id" label="Id" rules={[{ required: true, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, message: 'letters, digits and _ (no leading digit)' }]}>
            <Input data-testid="sw-new-app-id" />
          </Form.Item>
          <Form.Item name="name" label="Name" rules={[{ required: true }]}>
            <Input data-testid="sw-new-app-name" />
          </Form.Item>
          <Form.Item name="icon" label="Icon (antd icon name)">
            <Input placeholder="AppstoreOutlined" />
          </Form.Item>
          <Form.Item name="description" label="Description">
            <Input.TextArea />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={newPage} title="New page" onOk={createPage} onCancel={() => setNewPage(false)} okButtonProps={{ 'data-testid': 'sw-new-page-ok' } as any} destroyOnHidden>
        <Form form={pageForm} layout="vertical" initialValues={{ template: 'blank', menu: true }}>
          <Form.Item name="id" label="Id (also its route)" rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/, message: 'lower case, digits, "-" and "/"' }]}>
            <Input data-testid="sw-new-page-id" />
          </Form.Item>
          <Form.Item name="title" label="Title" rules={[{ required: true }]}>
            <Input data-testid="sw-new-page-title" />
          </Form.Item>
          <Form.Item name="template" label="Template">
            <Select data-testid="sw-new-page-template" options={PAGE_TEMPLATES.map((t) => ({ value: t.key, label: `${t.name} — ${t.description}` }))} />
          </Form.Item>
          <Form.Item name="menu" valuePropName="checked">
            <Checkbox>Add to the app menu</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
