// The signed-in frame: header (home, global search, language, theme, user menu) and the routes
// of the portal (desktop) and of each app (menu tree, breadcrumbs, runtime-rendered pages).
import { Suspense, lazy, useMemo, useState } from 'react';
import { Link, Navigate, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { AutoComplete, Avatar, Breadcrumb, Button, Dropdown, Form, Input, Layout, Menu, Modal, Result, Space, Spin, Tooltip, Typography, App as AntApp, theme } from 'antd';
import { HomeOutlined, MoonOutlined, SunOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import type { MenuItem } from '@sreworks/lowcode/browser';
import { useAuth } from './auth.js';
import { usePrefs } from './prefs.js';
import { AppsProvider, homePage, menuTrail, useApps, type AppInfo } from './apps.js';
import { Icon } from './icons.js';
import { pick, t } from './i18n.js';

// Signed in: start fetching the page runtime and booting the sandbox worker right away, in
// parallel with the frame, instead of when the first page asks for them.
const pageHostModule = import('./PageHost.js');
void import('../runtime/sandbox/shared.js').then((m) => m.sharedSandbox());
const PageHost = lazy(() => pageHostModule.then((m) => ({ default: m.PageHost })));
// designer (issue 6): its own lazy chunk
const DesignerRoutes = lazy(() => import('../designer/DesignerRoutes.js').then((m) => ({ default: m.DesignerRoutes })));

function Spinner() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function GlobalSearch() {
  const { apps } = useApps();
  const { lang } = usePrefs();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const options = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle || !apps) return [];
    const hit = (...s: (string | undefined)[]) => s.some((x) => x?.toLowerCase().includes(needle));
    const appOpts = apps.filter((a) => hit(a.id, a.name, a.nameZh, a.description)).map((a) => ({ value: `/apps/${a.id}`, label: <span data-testid="sw-search-app"><Icon name={a.icon} /> {pick(lang, a.name, a.nameZh)}</span> }));
    const pageOpts: { value: string; label: React.ReactNode }[] = [];
    for (const a of apps) {
      const walk = (items: MenuItem[], trail: string[]) => {
        for (const m of items) {
          const label = pick(lang, m.label, m.labelZh);
          if (m.page && !m.hidden && hit(m.label, m.labelZh, m.key, m.page)) pageOpts.push({ value: `/apps/${a.id}/${m.page}`, label: <span data-testid="sw-search-page">{[pick(lang, a.name, a.nameZh), ...trail, label].join(' / ')}</span> });
          if (m.children) walk(m.children, [...trail, label]);
        }
      };
      walk(a.menu, []);
    }
    const out = [];
    if (appOpts.length) out.push({ label: lang === 'zh' ? '应用' : 'Apps', options: appOpts.slice(0, 8) });
    if (pageOpts.length) out.push({ label: lang === 'zh' ? '页面与菜单' : 'Pages and menus', options: pageOpts.slice(0, 12) });
    return out;
  }, [q, apps, lang]);
  return (
    <div data-testid="sw-search">
      <AutoComplete
        value={q}
        options={options}
        style={{ width: 320 }}
        placeholder={t(lang, 'shell.search')}
        allowClear
        onSearch={setQ}
        onSelect={(v: string) => {
          setQ('');
          navigate(v);
        }}
      />
    </div>
  );
}

function PasswordDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { api } = useAuth();
  const { lang } = usePrefs();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.request('POST', '/api/auth/password', v);
      message.success(t(lang, 'shell.passwordChanged'));
      form.resetFields();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal open={open} title={t(lang, 'shell.password')} onOk={submit} onCancel={onClose} destroyOnHidden>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Form form={form} layout="vertical">
        <Form.Item name="currentPassword" label={t(lang, 'shell.current')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t(lang, 'shell.new')} rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Header() {
  const { me, logout } = useAuth();
  const { lang, setLang, dark, setDark } = usePrefs();
  const navigate = useNavigate();
  const [pw, setPw] = useState(false);
  const { token } = theme.useToken();
  return (
    <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}`, paddingInline: 16 }}>
      <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, color: token.colorText }} data-testid="sw-home">
        <HomeOutlined />
        <Typography.Text strong>{t(lang, 'app.name')}</Typography.Text>
      </Link>
      <div style={{ flex: 1 }} />
      <GlobalSearch />
      <Tooltip title={t(lang, 'shell.language')}>
        <Button type="text" icon={<TranslationOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="sw-lang">
          {lang === 'zh' ? 'EN' : '中'}
        </Button>
      </Tooltip>
      <Tooltip title={dark ? t(lang, 'shell.theme.light') : t(lang, 'shell.theme.dark')}>
        <Button type="text" icon={dark ? <SunOutlined /> : <MoonOutlined />} onClick={() => setDark(!dark)} data-testid="sw-theme" />
      </Tooltip>
      <Dropdown
        menu={{
          items: [
            { key: 'tokens', label: t(lang, 'shell.tokens') },
            { key: 'designer', label: lang === 'zh' ? '页面设计器' : 'Page designer' },
            { key: 'password', label: t(lang, 'shell.password') },
            { type: 'divider' },
            { key: 'logout', label: t(lang, 'shell.logout') },
          ],
          onClick: ({ key }) => {
            if (key === 'tokens') navigate('/apps/system/tokens');
            if (key === 'designer') navigate('/design');
            if (key === 'password') setPw(true);
            if (key === 'logout') void logout().then(() => navigate('/login'));
          },
        }}
      >
        <Space style={{ cursor: 'pointer' }} data-testid="sw-user-menu">
          <Avatar size="small" icon={<UserOutlined />} />
          <span>{me?.user.displayName || me?.user.username}</span>
        </Space>
      </Dropdown>
      <PasswordDialog open={pw} onClose={() => setPw(false)} />
    </Layout.Header>
  );
}

function toMenuItems(items: MenuItem[], lang: 'en' | 'zh'): any[] {
  return items
    .filter((m) => !m.hidden)
    .map((m) => ({
      key: m.page ?? `group:${m.key}`,
      icon: m.icon ? <Icon name={m.icon} /> : undefined,
      label: pick(lang, m.label, m.labelZh),
      children: m.children?.some((c) => !c.hidden) ? toMenuItems(m.children, lang) : undefined,
    }));
}

function AppView() {
  const { appId = '', '*': rest = '' } = useParams();
  const { me } = useAuth();
  const { apps } = useApps();
  const { lang } = usePrefs();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  if (!apps) return <Spinner />;
  const app = apps.find((a) => a.id === appId);
  if (!app) return <Result status="404" title={t(lang, 'shell.noApp', { app: appId })} extra={<Link to="/">{t(lang, 'shell.desktop')}</Link>} />;
  const pageId = rest.replace(/\/+$/, '');
  if (!pageId) {
    const home = homePage(app);
    return home ? <Navigate to={`/apps/${app.id}/${home}`} replace /> : <Result status="404" title={t(lang, 'shell.noPage', { page: '' })} />;
  }
  const trail = menuTrail(app.menu, pageId);
  return (
    <Layout style={{ minHeight: 'calc(100vh - 64px)' }}>
      <Layout.Sider width={220} theme="light" style={{ background: token.colorBgContainer, borderRight: `1px solid ${token.colorBorderSecondary}` }} breakpoint="lg" collapsedWidth={0}>
        <div style={{ padding: '16px 20px', fontWeight: 600 }} data-testid="sw-app-title">
          <Icon name={app.icon} /> {pick(lang, app.name, app.nameZh)}
        </div>
        <Menu mode="inline" data-testid="sw-app-menu" selectedKeys={[pageId]} defaultOpenKeys={trail.slice(0, -1).map((m) => (m.page ? m.page : `group:${m.key}`))} items={toMenuItems(app.menu, lang)} onClick={({ key }) => !key.startsWith('group:') && navigate(`/apps/${app.id}/${key}`)} />
      </Layout.Sider>
      <Layout.Content style={{ padding: 16 }}>
        {me?.permissions.includes('page.write') && (
          <Link to={`/design/${app.id}/${pageId}`} style={{ float: 'right' }} data-testid="sw-edit-page">
            {lang === 'zh' ? '编辑页面' : 'Edit page'}
          </Link>
        )}
        <Breadcrumb
          data-testid="sw-breadcrumbs"
          style={{ marginBottom: 12 }}
          items={[{ title: <Link to="/">{t(lang, 'shell.desktop')}</Link> }, { title: <Link to={`/apps/${app.id}`}>{pick(lang, app.name, app.nameZh)}</Link> }, ...trail.map((m) => ({ title: m.page ? <Link to={`/apps/${app.id}/${m.page}`}>{pick(lang, m.label, m.labelZh)}</Link> : pick(lang, m.label, m.labelZh) }))]}
        />
        <Suspense fallback={<Spinner />}>
          <PageHost key={`${app.id}/${pageId}`} appId={app.id} pageId={pageId} />
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

function Desktop() {
  return (
    <Layout.Content style={{ padding: 24 }}>
      <Suspense fallback={<Spinner />}>
        <PageHost appId="desktop" pageId="home" />
      </Suspense>
    </Layout.Content>
  );
}

function NotFound() {
  const { lang } = usePrefs();
  return <Result status="404" title={t(lang, 'shell.notFound', { path: location.pathname })} extra={<Link to="/">{t(lang, 'shell.desktop')}</Link>} />;
}

export function Frame() {
  return (
    <AppsProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Header />
        <Routes>
          <Route index element={<Desktop />} />
          <Route path="apps/:appId/*" element={<AppView />} />
          <Route path="design/*" element={<Suspense fallback={<Spinner />}><DesignerRoutes /></Suspense>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Layout>
    </AppsProvider>
  );
}

export type { AppInfo };
