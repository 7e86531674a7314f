// End-to-end: the designer in headless Chromium against the real server. Creates an app and a
// page, drags a table and a line chart onto it, binds the chart to a platform API with an
// afterResponse transform (test-run in the sandbox), undo/redo, publishes, and a second user
// sees the page; a draft never breaks it. A JSX component written in the browser is used on the
// page and cannot reach the parent document, cookies, storage or the network. A remote ES module
// served by a test HTTP server renders; 404ing and throwing ones show errors in their nodes only.
// A real Vue 3 custom element (built with Vue inside) takes props and emits events to the page.
// Screenshots of each step go to $SREWORKS_E2E_SHOTS or a temp dir.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, browserAvailable, ensureConsoleBuild, launchBrowser, type RunningServer } from './harness.js';
import { buildVueBundle, startBundleServer, startDesignerServer } from './designer-server.js';

const avail = browserAvailable();
const SHOTS = process.env.SREWORKS_E2E_SHOTS ?? mkdtempSync(join(tmpdir(), 'sw-e2e-designer-shots-'));
mkdirSync(SHOTS, { recursive: true });

const VIEWER = { username: 'viewer1', password: 'viewer-password-1' };
// doubles every sample of a Prometheus range query, keeping the API envelope the chart reads
const AFTER_RESPONSE = 'return { ...respData, data: { ...respData.data, result: respData.data.result.map((s) => ({ ...s, values: s.values.map(([t, v]) => [t, String(Number(v) * 2)]) })) } };';
const NOW = Math.floor(Date.now() / 1000);
const QUERY_URL = `/prometheus/api/v1/query_range?query=e2e_requests&start=${NOW - 900}&end=${NOW}&step=60`;
/** OTLP JSON: a gauge with 10 points a minute apart, ingested through /otlp/v1/metrics. */
const OTLP = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e' } }] },
      scopeMetrics: [{ metrics: [{ name: 'e2e_requests', gauge: { dataPoints: Array.from({ length: 10 }, (_, i) => ({ timeUnixNano: `${(NOW - 600 + i * 60) * 1e9}`, asDouble: i + 1 })) } }] }],
    },
  ],
};
const PROBE = `function Component(props, ctx) {
  const r = [];
  try { r.push('doc:' + String(parent.document.title)); } catch (e) { r.push('doc-blocked'); }
  try { r.push('cookie:' + document.cookie); } catch (e) { r.push('cookie-blocked'); }
  try { localStorage.setItem('x', '1'); r.push('storage-open'); } catch (e) { r.push('storage-blocked'); }
  if (!ctx.state.net) fetch('/api/auth/me').then(() => ctx.setState({ net: 'net-open' }), () => ctx.setState({ net: 'net-blocked' }));
  return <div id="probe" onClick={() => ctx.emit('click', { n: 1 })}>{props.title} {r.join(' ')} {ctx.state.net || 'net-pending'}</div>;
}`;
const BUNDLES = {
  '/clock.js': "export function mount(el, ctx) { el.innerHTML = '<b id=\"remote-ok\"></b>'; const b = el.querySelector('b'); b.textContent = 'remote:' + ctx.props.text; return { update(c) { b.textContent = 'remote:' + c.props.text; } }; }",
  '/throws.js': "export function mount() { throw new Error('boom from the bundle'); }",
  // a UMD bundle using the console's shared React, ReactDOM and antd
  '/umd.js': "(function () { var S = window.SREWorksShared; window.UmdTag = { mount: function (el, ctx) { var root = S.ReactDOM.createRoot(el); var draw = function (c) { root.render(S.React.createElement(S.antd.Tag, { color: 'blue', id: 'umd-ok' }, 'umd:' + c.props.text)); }; draw(ctx); return { update: draw, unmount: function () { root.unmount(); } }; } }; })();",
  // what Vue's defineCustomElement produces, reduced to the contract: a custom element with properties
  '/element.js': "customElements.define('x-hello', class extends HTMLElement { set text(v) { this.textContent = 'element:' + v; } });",
};

describe.skipIf(!avail.ok)(`designer in Chromium${avail.ok ? '' : ` (skipped: ${avail.reason})`}`, () => {
  let server: RunningServer;
  let bundles: Awaited<ReturnType<typeof startBundleServer>>;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  async function api(p: Page, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    return p.evaluate(
      async ({ method, path, body, extra }) => {
        const csrf = document.cookie.split('; ').find((c) => c.startsWith('sw_csrf='))?.slice(8) ?? '';
        const r = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf), ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, body: await r.json().catch(() => null) };
      },
      { method, path, body, extra },
    );
  }
  let teamId = '';

  async function login(p: Page, username: string, password: string, next: string) {
    await p.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
    await p.fill('#username', username);
    await p.fill('#password', password);
    await p.click('button[type=submit]');
    await p.waitForURL((u) => u.pathname === next.split('?')[0]);
  }

  async function drag(from: Locator, to: Locator) {
    const a = (await from.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 6, { steps: 3 });
    const b = (await to.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await page.mouse.move(b.x + b.width / 2 + 2, b.y + b.height / 2 + 2, { steps: 2 });
    await page.mouse.up();
  }

  async function setCode(testId: string, text: string) {
    const content = page.locator(`[data-testid=${testId}] .cm-content`);
    await content.waitFor();
    await content.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  const nodeCount = async () => {
    // edits render as transitions: give the count a moment to settle
    await page.waitForTimeout(150);
    return Number(await page.textContent('[data-testid=sw-node-count]'));
  };
  const waitSaved = () => page.waitForFunction(() => document.querySelector('[data-testid=sw-save-state]')?.getAttribute('data-state') === 'idle', undefined, { timeout: 15_000 });

  beforeAll(async () => {
    ensureConsoleBuild();
    server = await startDesignerServer();
    // real Vue 3 custom-element bundles (Vue inside), built now and served from another origin
    const fixtures = join(import.meta.dirname, 'fixtures');
    const [vueCounter, vueBroken] = await Promise.all([buildVueBundle(join(fixtures, 'vue-counter.ts')), buildVueBundle(join(fixtures, 'vue-broken.ts'))]);
    bundles = await startBundleServer({ ...BUNDLES, '/vue-counter.js': vueCounter, '/vue-broken.js': vueBroken });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: 'en-US' });
    page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await login(page, 'admin', ADMIN_PASSWORD, '/design');
    const u = await api(page, 'POST', '/api/users', { ...VIEWER, platformRole: 'user' });
    expect(u.status).toBe(201);
    // telemetry belongs to teams: the viewer reads the series of team "ops"
    const team = await api(page, 'POST', '/api/teams', { name: 'ops' });
    expect(team.status).toBe(201);
    teamId = team.body.id;
    expect((await api(page, 'PUT', `/api/teams/${teamId}/members`, { username: VIEWER.username, role: 'viewer' })).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await bundles?.close();
    await server?.close();
    console.log(`designer screenshots in ${SHOTS}`);
  });

  it('creates an app with a menu and a page from the designer home', async () => {
    await page.waitForSelector('[data-testid=sw-designer-home]');
    await page.click('[data-testid=sw-new-app]');
    await page.fill('[data-testid=sw-new-app-id]', 'dash');
    await page.fill('[data-testid=sw-new-app-name]', 'Dashboards');
    await page.click('[data-testid=sw-new-app-ok]');
    await page.waitForSelector('[data-testid=sw-design-app][data-app=dash]');
    await page.click('[data-testid=sw-new-page]');
    await page.fill('[data-testid=sw-new-page-id]', 'overview');
    await page.fill('[data-testid=sw-new-page-title]', 'Overview');
    await shot(page, 'd01-new-page');
    await page.click('[data-testid=sw-new-page-ok]');
    await page.waitForURL(/\/design\/dash\/overview$/);
    await page.waitForSelector('[data-testid=sw-palette-item][data-type=Table]');
    const app = await api(page, 'GET', '/api/lowcode/apps/dash');
    expect(app.body.menu).toEqual([{ key: 'overview', label: 'Overview', page: 'overview' }]);
  });

  it('drags a table and a line chart onto the page; undo and redo', async () => {
    await drag(page.locator('[data-testid=sw-palette-item][data-type=Table]'), page.locator('[data-testid=sw-drop-newrow]'));
    await page.waitForSelector('[data-testid=sw-design-node][data-type=Table]');
    await page.fill('[data-testid=sw-palette-search] input', 'line');
    await drag(page.locator('[data-testid=sw-palette-item][data-type=LineChart]'), page.locator('[data-testid=sw-drop-newrow]'));
    await page.waitForSelector('[data-testid=sw-design-node][data-type=LineChart]');
    expect(await nodeCount()).toBe(2);
    await shot(page, 'd02-dragged');
    await page.click('[data-testid=sw-undo]');
    expect(await nodeCount()).toBe(1);
    expect(await page.$('[data-testid=sw-design-node][data-type=LineChart]')).toBeNull();
    await shot(page, 'd03-undo');
    await page.click('[data-testid=sw-redo]');
    await page.waitForSelector('[data-testid=sw-design-node][data-type=LineChart]');
    expect(await nodeCount()).toBe(2);
    // move: the chart goes above the table (drop on the table's column)
    await drag(page.locator('[data-testid=sw-design-node][data-type=LineChart] [data-testid=sw-node-handle]'), page.locator('[data-testid=sw-design-node][data-type=Table]'));
    // the canvas renders edits as a transition: wait for it to settle
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=sw-design-node]')].map((e) => e.getAttribute('data-type')).join() === 'LineChart,Table', undefined, { timeout: 5000 }).catch(() => undefined);
    const order = await page.$$eval('[data-testid=sw-design-node]', (els) => els.map((e) => e.getAttribute('data-type')));
    expect(order).toEqual(['LineChart', 'Table']);
  });

  it('binds the chart to a telemetry range query with an afterResponse transform, test-run in the sandbox', async () => {
    const ingest = await api(page, 'POST', '/otlp/v1/metrics', OTLP, { 'x-scope-orgid': teamId });
    expect(ingest.status, JSON.stringify(ingest.body)).toBeLessThan(300);
    await page.click('[data-testid=sw-design-node][data-type=LineChart]');
    await page.waitForSelector('[data-testid=sw-selected]');
    await page.click('.ant-tabs-tab:has-text("Data")');
    await page.click('[data-testid=sw-ds-mode]');
    await page.click('.ant-select-item-option:has-text("Own data source")');
    await page.fill('[data-testid=sw-ds-url]', QUERY_URL);
    await page.click('.ant-tabs-tab:has-text("afterResponse")');
    await setCode('sw-ds-after', AFTER_RESPONSE);
    await page.click('[data-testid=sw-ds-test]');
    await page.waitForSelector('[data-testid=sw-ds-test-output]');
    const out = JSON.parse((await page.textContent('[data-testid=sw-ds-test-output]'))!);
    expect(out.status).toBe('success');
    const values = out.data.result[0].values.map(([, v]: [number, string]) => Number(v));
    expect(values.length).toBeGreaterThanOrEqual(5);
    expect(values.every((v: number) => v % 2 === 0)).toBe(true);
    expect(Math.max(...values)).toBe(20);
    await shot(page, 'd04-datasource');
    // a looping transform is stopped by the sandbox and named
    await setCode('sw-ds-after', 'while (true) {}');
    await page.click('[data-testid=sw-ds-test]');
    await page.waitForSelector('[data-testid=sw-ds-test-error]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=sw-ds-test-error]')).toMatch(/afterResponse|timeout|longer than|interrupted/i);
    await setCode('sw-ds-after', AFTER_RESPONSE);
    await waitSaved();
  });

  it('publishes, and another user sees the published page; a later draft does not change it', async () => {
    await page.click('[data-testid=sw-publish]');
    await page.click('[data-testid=sw-publish-ok]');
    await page.waitForFunction(() => /published v\d/.test(document.querySelector('[data-testid=sw-save-state]')?.textContent ?? ''));
    const pub = await api(page, 'GET', '/api/lowcode/apps/dash/pages/overview');
    const nodes = pub.body.page.layout.rows.flatMap((r: any) => r.cols.flatMap((c: any) => c.nodes));
    expect(nodes.map((n: any) => n.type)).toEqual(['LineChart', 'Table']);
    expect(nodes[0].dataSource.afterResponse.$fn).toBe(AFTER_RESPONSE);
    await shot(page, 'd05-published');

    const viewerCtx = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'en-US' });
    const viewer = await viewerCtx.newPage();
    await login(viewer, VIEWER.username, VIEWER.password, '/apps/dash/overview');
    await viewer.waitForSelector('[data-testid=sw-page] [data-node=lineChart1] canvas', { timeout: 20_000 });
    expect(await viewer.$$eval('[data-testid=sw-node-error], [data-node][data-error]', (e) => e.length)).toBe(0);
    // no "Edit page" entry for a user who may not edit pages
    expect(await viewer.$('[data-testid=sw-edit-page]')).toBeNull();
    await shot(viewer, 'd06-viewer');
    // the viewer may read but not publish
    const denied = await api(viewer, 'POST', '/api/lowcode/apps/dash/pages/overview/publish', {});
    expect(denied.status).toBe(403);

    // a broken draft (every node deleted) is saved; the published page stays as it was
    await page.click('[data-testid=sw-design-node][data-type=Table] [data-testid=sw-node-delete]');
    await page.click('[data-testid=sw-design-node][data-type=LineChart] [data-testid=sw-node-delete]');
    await waitSaved();
    await viewer.reload();
    await viewer.waitForSelector('[data-testid=sw-page] [data-node=lineChart1]');
    expect(await viewer.$('[data-testid=sw-page] [data-node=table1]')).not.toBeNull();
    await viewerCtx.close();
    await page.click('[data-testid=sw-undo]');
    await page.click('[data-testid=sw-undo]');
    expect(await nodeCount()).toBe(2);
  });

  it('shows versions with a diff, and refuses bad imports with clear messages', async () => {
    await page.click('[data-testid=sw-history]');
    await page.waitForSelector('[data-testid=sw-version]');
    await page.locator('[data-testid=sw-version]').last().click();
    await page.waitForSelector('[data-testid=sw-version-diff]');
    expect(await page.textContent('[data-testid=sw-version-diff]')).toContain('+');
    await shot(page, 'd07-versions');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=sw-versions]', { state: 'hidden' });
    // import goes through a file picker; the same parser is driven directly here
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-testid=sw-import]');
    await (await chooser).setFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion": 1, "title": ') });
    await page.waitForSelector('[data-testid=sw-import-error]');
    expect(await page.textContent('[data-testid=sw-import-error]')).toMatch(/not valid JSON/);
    await page.click('.ant-modal-confirm-btns button');
    const chooser2 = page.waitForEvent('filechooser');
    await page.click('[data-testid=sw-import]');
    await (await chooser2).setFiles({ name: 'new.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ schemaVersion: 99, id: 'x', app: 'dash', title: 'x', layout: { kind: 'fluid', rows: [] } })) });
    await page.waitForSelector('[data-testid=sw-import-error]');
    expect(await page.textContent('[data-testid=sw-import-error]')).toMatch(/newer console \(schemaVersion 99/);
    await page.click('.ant-modal-confirm-btns button');
    expect(await nodeCount()).toBe(2);
  });

  it('writes a JSX component in the browser, uses it on the page, and it cannot reach the parent, cookies, storage or the API', async () => {
    await page.goto(`${server.url}/design/components`);
    await page.waitForSelector('[data-testid=sw-jsx-editor]');
    await page.fill('[data-testid=sw-jsx-name]', 'ProbeCard');
    await setCode('sw-jsx-source', 'function Component( { return <b>oops</b>; }');
    await page.waitForSelector('[data-testid=sw-jsx-error]');
    expect(await page.textContent('[data-testid=sw-jsx-error]')).toMatch(/syntax error/i);
    await setCode('sw-jsx-source', PROBE);
    const preview = page.frameLocator('[data-testid=sw-jsx-preview] iframe');
    await preview.locator('#probe:has-text("net-")').waitFor();
    await shot(page, 'd08-jsx-editor');
    await page.click('[data-testid=sw-jsx-save]');
    await page.waitForSelector('[data-testid=sw-component]:has-text("ProbeCard")');

    await page.goto(`${server.url}/design/dash/overview`);
    await page.fill('[data-testid=sw-palette-search] input', 'My card');
    await drag(page.locator('[data-testid=sw-palette-item][data-type="jsx:ProbeCard"]'), page.locator('[data-testid=sw-drop-newrow]'));
    await page.waitForSelector('[data-testid=sw-design-node][data-type="jsx:ProbeCard"]');
    await waitSaved();
    await page.click('[data-testid=sw-publish]');
    await page.click('[data-testid=sw-publish-ok]');
    await page.waitForFunction(() => /published v\d/.test(document.querySelector('[data-testid=sw-save-state]')?.textContent ?? ''));

    await page.goto(`${server.url}/apps/dash/overview`);
    const frame = page.frameLocator('[data-testid=sw-page] [data-testid=sw-custom-component] iframe');
    const probe = frame.locator('#probe');
    await probe.locator('text=/net-(open|blocked)/').waitFor({ timeout: 15_000 }).catch(() => undefined);
    const text = (await probe.textContent())!;
    expect(text).toContain('Hello');
    expect(text).toContain('doc-blocked');
    expect(text).toContain('cookie-blocked');
    expect(text).toContain('storage-blocked');
    expect(text).toContain('net-blocked');
    expect(text).not.toMatch(/sw_session|sw_csrf/);
    // and from the page's side the frame is another (opaque) origin
    expect(await page.evaluate(() => (document.querySelector('[data-testid=sw-custom-component] iframe') as HTMLIFrameElement).contentDocument)).toBeNull();
    expect(await page.getAttribute('[data-testid=sw-custom-component] iframe', 'sandbox')).toBe('allow-scripts');
    await shot(page, 'd09-jsx-on-page');
  });

  it('registers remote components served by another HTTP server (ES module, UMD with shared React/antd, custom element); 404ing and throwing bundles only break their own nodes', async () => {
    await page.goto(`${server.url}/design/components`);
    await page.click('.ant-tabs-tab:has-text("Remote component")');
    await page.fill('[data-testid=sw-remote-name]', 'Clock');
    await page.fill('[data-testid=sw-remote-url]', `${bundles.url}/clock.js`);
    await page.click('[data-testid=sw-remote-save]');
    await page.waitForSelector('[data-testid=sw-component]:has-text("Clock")');
    await shot(page, 'd10-remote-form');
    for (const [name, path] of [
      ['Missing', '/missing.js'],
      ['Thrower', '/throws.js'],
    ]) {
      const r = await api(page, 'PUT', `/api/lowcode/remote-components/${name}`, { def: { kind: 'remote', format: 'esm', url: `${bundles.url}${path}`, meta: { name } } });
      expect(r.status).toBe(200);
    }
    expect((await api(page, 'PUT', '/api/lowcode/remote-components/UmdTag', { def: { kind: 'remote', format: 'umd', url: `${bundles.url}/umd.js`, global: 'UmdTag', meta: { name: 'UMD tag' } } })).status).toBe(200);
    expect((await api(page, 'PUT', '/api/lowcode/remote-components/Hello', { def: { kind: 'remote', format: 'vue', url: `${bundles.url}/element.js`, tag: 'x-hello', meta: { name: 'Hello element' } } })).status).toBe(200);
    const current = (await api(page, 'GET', '/api/lowcode/apps/dash/pages/overview?version=draft')).body;
    const p = current.page;
    p.layout.rows.push({ cols: [{ span: 8, nodes: [{ id: 'clock1', type: 'remote:Clock', props: { text: 'tick' } }] }, { span: 8, nodes: [{ id: 'missing1', type: 'remote:Missing' }] }, { span: 8, nodes: [{ id: 'thrower1', type: 'remote:Thrower' }] }] }, { cols: [{ span: 12, nodes: [{ id: 'umd1', type: 'remote:UmdTag', props: { text: 'shared' } }] }, { span: 12, nodes: [{ id: 'hello1', type: 'remote:Hello', props: { text: 'props' } }] }] });
    expect((await api(page, 'PUT', '/api/lowcode/apps/dash/pages/overview/draft', { page: p })).status).toBe(200);
    expect((await api(page, 'POST', '/api/lowcode/apps/dash/pages/overview/publish', {})).status).toBe(200);

    await page.goto(`${server.url}/apps/dash/overview`);
    await page.waitForSelector('[data-node=clock1] #remote-ok');
    expect(await page.textContent('[data-node=clock1] #remote-ok')).toBe('remote:tick');
    await page.waitForSelector('[data-node=missing1] [data-testid=sw-remote-error]');
    expect(await page.textContent('[data-node=missing1] [data-testid=sw-remote-error]')).toMatch(/failed to load/);
    await page.waitForSelector('[data-node=thrower1] [data-testid=sw-remote-error]');
    expect(await page.textContent('[data-node=thrower1] [data-testid=sw-remote-error]')).toMatch(/boom from the bundle/);
    await page.waitForSelector('[data-node=umd1] #umd-ok.ant-tag');
    expect(await page.textContent('[data-node=umd1] #umd-ok')).toBe('umd:shared');
    await page.waitForFunction(() => document.querySelector('[data-node=hello1] x-hello')?.textContent === 'element:props');
    // the rest of the page keeps working
    await page.waitForSelector('[data-node=lineChart1] canvas');
    expect(bundles.hits).toEqual(expect.arrayContaining(['/clock.js', '/missing.js', '/throws.js', '/umd.js', '/element.js']));
    await shot(page, 'd11-remote');
    expect(pageErrors.filter((e) => !/boom from the bundle/.test(e))).toEqual([]);
  });

  it('renders a real Vue 3 defineCustomElement bundle from another origin: props in, events out; a broken Vue bundle breaks only its own node', async () => {
    const mark = pageErrors.length;
    for (const [name, path, tag] of [
      ['VueCounter', '/vue-counter.js', 'x-vue-counter'],
      ['VueBroken', '/vue-broken.js', 'x-vue-broken'],
    ]) {
      const r = await api(page, 'PUT', `/api/lowcode/remote-components/${name}`, { def: { kind: 'remote', format: 'vue', url: `${bundles.url}${path}`, tag, meta: { name, events: ['change'] } } });
      expect(r.status).toBe(200);
    }
    const p = (await api(page, 'GET', '/api/lowcode/apps/dash/pages/overview?version=draft')).body.page;
    p.params = { ...(p.params ?? {}), vueLabel: { type: 'string', from: 'url', default: 'props in' }, vueCount: { type: 'number', from: 'state' } };
    p.layout.rows.push({
      cols: [
        { span: 8, nodes: [{ id: 'vue1', type: 'remote:VueCounter', props: { label: '$(vueLabel)', start: 5 }, actions: { change: [{ kind: 'setParams', params: { vueCount: '$(event.count)' } }] } }] },
        { span: 8, nodes: [{ id: 'vueEcho', type: 'Text', props: { content: 'count out: $(vueCount)' } }] },
        { span: 8, nodes: [{ id: 'vueBroken1', type: 'remote:VueBroken' }] },
      ],
    });
    expect((await api(page, 'PUT', '/api/lowcode/apps/dash/pages/overview/draft', { page: p })).status).toBe(200);
    expect((await api(page, 'POST', '/api/lowcode/apps/dash/pages/overview/publish', {})).status).toBe(200);

    await page.goto(`${server.url}/apps/dash/overview?vueLabel=clicks`);
    // props in: Vue renders them inside the element's shadow root (Playwright's CSS pierces it)
    const shown = page.locator('[data-node=vue1] x-vue-counter #vue-ok');
    await shown.waitFor();
    expect(await shown.textContent()).toBe('clicks: 5');
    // it is Vue's own element class, not a hand-written one
    expect(await page.evaluate(() => Boolean((customElements.get('x-vue-counter') as unknown as { def?: { emits?: string[] } })?.def?.emits?.includes('change')))).toBe(true);
    // events out: emit('change', {count}) reaches the page's actions
    await page.locator('[data-node=vue1] x-vue-counter #vue-inc').click();
    await page.waitForFunction(() => /count out: 6/.test(document.querySelector('[data-node=vueEcho]')?.textContent ?? ''));
    await page.locator('[data-node=vue1] x-vue-counter #vue-inc').click();
    await page.waitForFunction(() => /count out: 7/.test(document.querySelector('[data-node=vueEcho]')?.textContent ?? ''));
    expect(await shown.textContent()).toBe('clicks: 7');
    // the broken bundle: an error in its node naming the cause; the rest of the page works
    await page.waitForSelector('[data-node=vueBroken1] [data-testid=sw-remote-error]');
    expect(await page.textContent('[data-node=vueBroken1] [data-testid=sw-remote-error]')).toMatch(/VueBroken failed to load .*__VUE_BROKEN_CONFIG__ is not set/);
    await page.waitForSelector('[data-node=clock1] #remote-ok');
    await page.waitForSelector('[data-node=lineChart1] canvas');
    expect(bundles.hits).toEqual(expect.arrayContaining(['/vue-counter.js', '/vue-broken.js']));
    await shot(page, 'd11b-remote-vue');
    expect(pageErrors.slice(mark).filter((e) => !/__VUE_BROKEN_CONFIG__|Unexpected token 'export'/.test(e))).toEqual([]);
  });

  it('exports the app with its pages, and checks page edits in the app\'s owning team', async () => {
    const bundle = (await api(page, 'GET', '/api/lowcode/apps/dash/export')).body;
    expect(bundle.app.menu[0].page).toBe('overview');
    expect(bundle.pages.map((p: any) => p.id)).toEqual(['overview']);

    // member of team "other" (may write pages somewhere) but not of "ops", which owns app "opsdash"
    const other = await api(page, 'POST', '/api/teams', { name: 'other' });
    expect((await api(page, 'POST', '/api/users', { username: 'member1', password: 'member-password-1', platformRole: 'user' })).status).toBe(201);
    expect((await api(page, 'PUT', `/api/teams/${other.body.id}/members`, { username: 'member1', role: 'member' })).status).toBe(200);
    expect((await api(page, 'PUT', '/api/lowcode/apps/opsdash', { manifest: { id: 'opsdash', name: 'Ops dashboards', team: teamId, menu: [] } })).status).toBe(200);
    const draft = (app: string) => ({ page: { schemaVersion: 1, id: 'p1', app, title: 'P1', layout: { kind: 'fluid', rows: [] } } });
    const memberCtx = await browser.newContext();
    const member = await memberCtx.newPage();
    await login(member, 'member1', 'member-password-1', '/design');
    const denied = await api(member, 'PUT', '/api/lowcode/apps/opsdash/pages/p1/draft', draft('opsdash'));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(teamId);
    // an app without an owning team: any team member with write may edit
    expect((await api(member, 'PUT', '/api/lowcode/apps/dash/pages/p1/draft', draft('dash'))).status).toBe(200);
    await memberCtx.close();
  });
});
