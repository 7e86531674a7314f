// End-to-end: the real server with the real console build in headless Chromium. Logs in through
// a deep link, opens every built-in page, submits a form, reads a table and a chart, and tries
// to escape the sandbox. Screenshots go to $SREWORKS_E2E_SHOTS or a temp dir.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, FIXTURES, browserAvailable, ensureConsoleBuild, launchBrowser, startServer, type RunningServer } from './harness.js';

const avail = browserAvailable();
const SHOTS = process.env.SREWORKS_E2E_SHOTS ?? mkdtempSync(join(tmpdir(), 'sw-e2e-shots-'));
mkdirSync(SHOTS, { recursive: true });

const BUILTIN_PAGES = ['/apps/system/users', '/apps/system/teams', '/apps/system/tokens', '/apps/system/audit', '/apps/clusters/clusters', '/apps/clusters/environments'];

describe.skipIf(!avail.ok)(`console in Chromium${avail.ok ? '' : ` (skipped: ${avail.reason})`}`, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  async function shot(name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function api(method: string, path: string, body?: unknown): Promise<any> {
    return page.evaluate(
      async ({ method, path, body }) => {
        const csrf = document.cookie.split('; ').find((c) => c.startsWith('sw_csrf='))?.slice(8) ?? '';
        const r = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, body: await r.json().catch(() => null) };
      },
      { method, path, body },
    );
  }

  async function openPage(path: string) {
    await page.goto(server.url + path);
    await page.waitForSelector('[data-testid=sw-page]', { timeout: 20_000 });
    // let data sources settle (no skeletons left)
    await page.waitForFunction(() => !document.querySelector('[data-testid=sw-page] .ant-skeleton'), undefined, { timeout: 20_000 });
  }

  beforeAll(async () => {
    ensureConsoleBuild();
    server = await startServer();
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    console.log(`screenshots in ${SHOTS}`);
  });

  it('sends a deep link to login and back to the deep link after signing in', async () => {
    await page.goto(server.url + '/apps/system/users');
    await page.waitForURL(/\/login\?next=/);
    await shot('01-login');
    await page.fill('#username', 'admin');
    await page.fill('#password', 'wrong-password-123');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=sw-login-error]');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/apps\/system\/users$/);
    await page.waitForSelector('[data-testid=sw-page]');
    expect(await page.textContent('[data-testid=sw-breadcrumbs]')).toContain('Users');
  });

  it('shows the desktop with the installed apps, and search finds pages', async () => {
    await openPage('/');
    await page.waitForSelector('[data-app=system]');
    const apps = await page.$$eval('[data-app]', (els) => els.map((e) => e.getAttribute('data-app')));
    expect(apps).toEqual(expect.arrayContaining(['system', 'clusters']));
    await shot('02-desktop');
    await page.click('[data-app=clusters]');
    await page.waitForURL(/\/apps\/clusters\/clusters$/);
    await page.fill('[data-testid=sw-search] input', 'audit');
    await page.waitForSelector('[data-testid=sw-search-page]');
    await page.click('[data-testid=sw-search-page]');
    await page.waitForURL(/\/apps\/system\/audit$/);
  });

  it('opens every built-in page without a page or node error, and deep links survive a reload', async () => {
    for (const path of BUILTIN_PAGES) {
      await openPage(path);
      expect(await page.$('[data-testid=sw-page-invalid]'), path).toBeNull();
      expect(await page.$('[data-testid=sw-page-error]'), path).toBeNull();
      const nodeErrors = await page.$$eval('[data-testid=sw-node-error], [data-node][data-error]', (els) => els.map((e) => e.getAttribute('data-error') ?? e.textContent));
      expect(nodeErrors, path).toEqual([]);
      const unknown = await page.$$eval('[data-testid=sw-unknown-widget]', (els) => els.map((e) => e.textContent));
      expect(unknown, `${path}: widgets missing from the library build`).toEqual([]);
      await shot(`03-page${path.replaceAll('/', '_')}`);
    }
    await page.reload();
    await page.waitForSelector('[data-testid=sw-page]');
    expect(page.url()).toMatch(/\/apps\/clusters\/environments$/);
  });

  it('submits a form (create a team), shows the row in the table, and a bad submission keeps the form open', async () => {
    await openPage('/apps/system/teams');
    await page.click('[data-testid=sw-toolbar-teams-create]');
    await page.waitForSelector('[data-testid=sw-form]');
    await page.fill('#name', 'Not A DNS Label');
    await page.click('[data-testid=sw-form-submit]');
    await page.waitForSelector('.ant-form-item-explain-error');
    await page.fill('#name', 'platform-e2e');
    await page.fill('#description', 'made by the browser suite');
    await shot('04-form');
    await page.click('[data-testid=sw-form-submit]');
    await page.waitForSelector('[data-testid=sw-form]', { state: 'detached' });
    await page.waitForSelector('text=platform-e2e');
    const teams = await api('GET', '/api/teams');
    expect(teams.body.items.map((t: any) => t.name)).toContain('platform-e2e');
    // the same name again: the server refuses (409) and the form stays open with its error
    await page.click('[data-testid=sw-toolbar-teams-create]');
    await page.fill('#name', 'platform-e2e');
    await page.click('[data-testid=sw-form-submit]');
    await page.waitForSelector('[data-testid=sw-form-error]');
    expect(await page.textContent('[data-testid=sw-form-error]')).toMatch(/already exists/);
    await shot('05-form-error');
    await page.keyboard.press('Escape');
  });

  it('renders a table with rows and a chart over the audit log', async () => {
    await openPage('/apps/system/audit');
    await page.waitForSelector('[data-node=audit] .ant-table-row');
    const rows = await page.$$('[data-node=audit] .ant-table-row');
    expect(rows.length).toBeGreaterThan(0);
    await page.waitForSelector('[data-node=activity] canvas, [data-node=activity] svg');
    await shot('06-audit-chart');
  });

  it('filters through a form that writes page params, kept in the URL', async () => {
    await openPage('/apps/system/audit?actor=nobody');
    await page.waitForSelector('[data-node=audit] .ant-table-placeholder');
    expect(await page.$$('[data-node=audit] .ant-table-row')).toHaveLength(0);
    await openPage('/apps/system/audit');
    const input = page.locator('[data-node=filters] input').first();
    await input.fill('admin');
    await input.press('Enter');
    await page.waitForURL(/actor=admin/);
    await page.waitForSelector('[data-node=audit] .ant-table-row');
    const actors = await page.$$eval('[data-node=audit] .ant-table-row', (rows) => rows.map((r) => r.children[1]?.textContent));
    expect(new Set(actors)).toEqual(new Set(['admin']));
    await shot('06b-audit-filtered');
  });

  it('stops sandbox escapes and runaway code while the page stays usable', async () => {
    const manifest = { id: 'e2e', name: 'E2E', menu: [{ key: 'sandbox', label: 'Sandbox', page: 'sandbox' }] };
    expect((await api('PUT', '/api/lowcode/apps/e2e', { manifest })).status).toBe(200);
    const jsx = (id: string, template: string, dataSource?: unknown) => ({ id, type: 'Jsx', title: id, props: { template: { $jsx: template } }, ...(dataSource ? { dataSource } : {}) });
    const sandboxPage = {
      schemaVersion: 1,
      id: 'sandbox',
      app: 'e2e',
      title: 'Sandbox',
      layout: {
        kind: 'fluid',
        rows: [
          { cols: [{ span: 24, nodes: [jsx('ctor', "<span data-testid='ctor'>{(() => { try { const p = constructor.constructor('return process')(); return 'ESCAPED ' + typeof p; } catch (e) { return 'blocked: ' + e.message; } })()}</span>")] }] },
          { cols: [{ span: 24, nodes: [jsx('parent', "<span data-testid='parent'>{'parent:' + typeof globalThis.parent + ' window:' + typeof window + ' document:' + typeof document}</span>")] }] },
          { cols: [{ span: 24, nodes: [jsx('fetch', "<span>{String(data)}</span>", { kind: 'function', fn: { $fn: "return await fetch('https://example.com/')" } })] }] },
          { cols: [{ span: 24, nodes: [jsx('http', "<span>{String(data)}</span>", { kind: 'function', fn: { $fn: "return await http.get('https://example.com/steal')" } })] }] },
          { cols: [{ span: 24, nodes: [jsx('html', "<span>{String(data)}</span>", { kind: 'api', url: '/' })] }] },
          { cols: [{ span: 24, nodes: [jsx('loop', "<span>{String(data)}</span>", { kind: 'function', fn: { $fn: 'while (true) {}' } })] }] },
          { cols: [{ span: 24, nodes: [jsx('after', "<span data-testid='after'>{'users:' + data.items.length}</span>", { kind: 'function', fn: { $fn: "const r = await http.get('/api/users'); return r;" } })] }] },
        ],
      },
    };
    const saved = await api('PUT', '/api/lowcode/apps/e2e/pages/sandbox/draft', { page: sandboxPage });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await api('POST', '/api/lowcode/apps/e2e/pages/sandbox/publish', {})).status).toBe(200);
    const t0 = Date.now();
    await openPage('/apps/e2e/sandbox');
    await page.waitForSelector('[data-testid=ctor]');
    expect(await page.textContent('[data-testid=ctor]')).toMatch(/^blocked: .*process.* is not defined/);
    expect(await page.textContent('[data-testid=parent]')).toBe('parent:undefined window:undefined document:undefined');
    const errorOf = async (node: string) => {
      await page.waitForSelector(`[data-node=${node}] [data-testid=sw-node-error]`, { timeout: 15_000 });
      return page.textContent(`[data-node=${node}] [data-testid=sw-node-error]`);
    };
    expect(await errorOf('fetch')).toMatch(/fetch.* is not defined/);
    expect(await errorOf('http')).toMatch(/blocked: page code may only call the platform API/);
    expect(await errorOf('html')).toMatch(/HTML instead of JSON/);
    expect(await errorOf('loop')).toMatch(/ran longer than .* ms and was stopped \(sandbox restarted\)/);
    expect(Date.now() - t0).toBeLessThan(15_000);
    // the rest of the page works and the main thread is responsive
    await page.waitForSelector('[data-testid=after]');
    expect(await page.textContent('[data-testid=after]')).toMatch(/^users:\d+$/);
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    await page.click('[data-testid=sw-home]');
    await page.waitForSelector('[data-app=system]');
    await page.goBack();
    await page.waitForSelector('[data-testid=after]');
    await shot('07-sandbox');
  });

  it('imports the six SREWorks page exports and renders every page without a runtime error', async () => {
    expect(FIXTURES, 'the SREWorks page fixtures (../shared/fixtures) are missing').toBeDefined();
    const dir = join(FIXTURES!, 'sreworks/pages');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(6);
    let opened = 0;
    for (const f of files) {
      const r = await api('POST', '/api/lowcode/import', { format: 'sreworks', bundle: JSON.parse(readFileSync(join(dir, f), 'utf8')), publish: true });
      expect(r.status, `${f}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
      for (const p of r.body.pages) {
        const before = consoleErrors.filter((e) => e.startsWith('pageerror')).length;
        await page.goto(`${server.url}/apps/${r.body.app}/${p.pageId}`);
        // a page whose nodes are all hidden (visibleWhen) renders an empty, invisible container
        await page.waitForSelector('[data-testid=sw-page]', { timeout: 20_000, state: 'attached' });
        expect(await page.$('[data-testid=sw-page-invalid]'), `${r.body.app}/${p.pageId}`).toBeNull();
        // SREWorks' own backend is not here, so data errors are expected; crashes are not
        const crashed = await page.$$eval('[data-testid=sw-node-error]', (els) => els.map((e) => e.textContent ?? '').filter((t) => /This part of the page failed/.test(t)));
        expect(crashed, `${r.body.app}/${p.pageId}`).toEqual([]);
        expect(consoleErrors.filter((e) => e.startsWith('pageerror')).length, `${r.body.app}/${p.pageId}`).toBe(before);
        opened++;
      }
      await shot(`09-sreworks-${r.body.app}`);
    }
    expect(opened).toBeGreaterThanOrEqual(30);
  }, 300_000);

  it('switches language and theme', async () => {
    await openPage('/apps/system/users');
    await page.click('[data-testid=sw-lang]');
    await page.waitForSelector('text=用户');
    await page.click('[data-testid=sw-theme]');
    expect(await page.getAttribute('[data-theme]', 'data-theme')).toBe('dark');
    await shot('08-zh-dark');
    await page.click('[data-testid=sw-lang]');
    await page.click('[data-testid=sw-theme]');
  });

  it('logged no page errors', () => {
    expect(consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
