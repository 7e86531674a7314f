// End-to-end: the built-in feature pages (ops apps delivery, dataops, aiops) on the real server in
// headless Chromium. Logs in, opens every page, creates and deploys an OAM app through the pages to
// a GitOps environment backed by a bare git repository and watches its status tree reach
// "succeeded", ingests metrics (remote_write), logs (Loki push) and events through the real
// ingestion endpoints and finds them in the explorers, and runs an AIOps tool. Every page must
// render without node errors and without console errors.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadOpsApps, validatePage } from '@sreworks/lowcode';
import { encodeWriteRequest, snappyEncode } from '@sreworks/telemetry';
import { widgetMetas } from '../src/widgets/metas.js';
import { ADMIN_PASSWORD, REPO_DIR, browserAvailable, ensureConsoleBuild, launchBrowser, startServer, type RunningServer } from './harness.js';

const avail = browserAvailable();
const SHOTS = process.env.SREWORKS_E2E_SHOTS ?? mkdtempSync(join(tmpdir(), 'sw-e2e-feature-shots-'));
mkdirSync(SHOTS, { recursive: true });

const APP_YAML = `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: e2e-hello
spec:
  components:
    - name: web
      type: webservice
      properties:
        image: nginx:1.27
        ports: [{ port: 80, expose: true }]
      traits:
        - type: scaler
          properties: { replicas: 2 }
`;

const LIST_PAGES = [
  '/apps/delivery/apps',
  '/apps/delivery/deployments',
  '/apps/delivery/definitions',
  '/apps/delivery/build-secrets',
  '/apps/dataops/metrics',
  '/apps/dataops/logs',
  '/apps/dataops/events',
  '/apps/dataops/catalog',
  '/apps/aiops/anomalies',
  '/apps/aiops/periods',
  '/apps/aiops/forecast',
  '/apps/aiops/log-templates',
  '/apps/aiops/rca',
  '/apps/aiops/runs',
];

// The runtime renders pages whose widget props fail their schema (they are reported, not fatal),
// so the props of these pages are checked here against every widget's schema.
describe('feature page definitions', () => {
  it('validate against the page schema and every widget meta', () => {
    const apps = loadOpsApps(join(REPO_DIR, 'ops-apps')).filter((a) => ['delivery', 'dataops', 'aiops'].includes(a.manifest.id));
    expect(apps.map((a) => a.manifest.id).sort()).toEqual(['aiops', 'dataops', 'delivery']);
    const pages = apps.flatMap((a) => a.pages.map((p) => ({ id: `${a.manifest.id}/${p.id}`, page: p })));
    expect(pages.length).toBe(18);
    for (const { id, page } of pages) {
      const r = validatePage(page, widgetMetas);
      expect(r.errors, id).toEqual([]);
      expect(page.titleZh, `${id} has a Chinese title`).toBeTruthy();
    }
  });
});

describe.skipIf(!avail.ok)(`feature pages in Chromium${avail.ok ? '' : ` (skipped: ${avail.reason})`}`, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let repoDir: string;
  const consoleErrors: string[] = [];
  const ids: { team?: string; env?: string; app?: string; deployment?: string } = {};

  async function shot(name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    return page.evaluate(
      async ({ method, path, body }) => {
        const csrf = document.cookie.split('; ').find((c) => c.startsWith('sw_csrf='))?.slice(8) ?? '';
        const headers: Record<string, string> = { 'x-csrf-token': decodeURIComponent(csrf) };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, body: await r.json().catch(() => null) };
      },
      { method, path, body },
    );
  }

  async function settle() {
    await page.waitForSelector('[data-testid=sw-page]', { timeout: 20_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid=sw-page] .ant-skeleton'), undefined, { timeout: 20_000 });
  }

  /** Opens a page and checks it rendered: no invalid page, no node or data error, no unknown widget, no console error. */
  async function openPage(path: string, shotName?: string) {
    const before = consoleErrors.length;
    await page.goto(server.url + path);
    await settle();
    // one more beat for data sources that start after the first render (page sources, tabs)
    await page.waitForTimeout(300);
    await settle();
    expect(await page.$('[data-testid=sw-page-invalid]'), path).toBeNull();
    expect(await page.$('[data-testid=sw-page-error]'), path).toBeNull();
    const nodeErrors = await page.$$eval('[data-testid=sw-node-error], [data-node][data-error]', (els) => els.map((e) => e.getAttribute('data-error') ?? e.textContent));
    expect(nodeErrors, path).toEqual([]);
    const unknown = await page.$$eval('[data-testid=sw-unknown-widget]', (els) => els.map((e) => e.textContent));
    expect(unknown, path).toEqual([]);
    expect(consoleErrors.slice(before), `${path}: console errors`).toEqual([]);
    if (shotName) await shot(shotName);
  }

  async function nodeText(id: string): Promise<string> {
    return (await page.textContent(`[data-node=${id}]`)) ?? '';
  }

  async function waitNodeText(id: string, re: RegExp, timeout = 20_000) {
    try {
      await page.waitForFunction(
        ({ id, src, flags }) => new RegExp(src, flags).test(document.querySelector(`[data-node=${id}]`)?.textContent ?? ''),
        { id, src: re.source, flags: re.flags },
        { timeout },
      );
    } catch (e) {
      await shot(`failed-${id}`);
      const text = await page.$eval(`[data-node=${id}]`, (el) => el.textContent).catch(() => '(no such node)');
      throw new Error(`node ${id} never matched ${re}: ${text?.slice(0, 500)}\n${(e as Error).message}`);
    }
  }

  /** Picks an option of an antd Select in the open form dialog by its visible label. */
  async function pickOption(fieldId: string, label: string) {
    await page.locator(`[data-testid=sw-form] .ant-form-item:has(#${fieldId}) .ant-select`).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: label }).click();
  }

  /** Console errors since a mark (each test checks its own window). */
  function errorsSince(mark: number): string[] {
    return consoleErrors.slice(mark);
  }

  beforeAll(async () => {
    ensureConsoleBuild();
    server = await startServer();
    await server.platform.startWorkers(); // the deployment executor
    repoDir = mkdtempSync(join(tmpdir(), 'sw-e2e-gitops-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(repoDir, 'repo.git')]);
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (repoDir) rmSync(repoDir, { recursive: true, force: true });
    console.log(`screenshots in ${SHOTS}`);
  });

  it('logs in and lists the three feature apps on the desktop', async () => {
    await page.goto(server.url + '/apps/delivery/apps');
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#username', 'admin');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/apps\/delivery\/apps$/);
    await settle();
    consoleErrors.length = 0; // the shell's session probe answered 401 before signing in
    await page.goto(server.url + '/');
    await page.waitForSelector('[data-app=delivery]');
    const apps = await page.$$eval('[data-app]', (els) => els.map((e) => e.getAttribute('data-app')));
    expect(apps).toEqual(expect.arrayContaining(['delivery', 'dataops', 'aiops']));
  });

  it('opens every list page without errors', async () => {
    const timings: string[] = [];
    for (const path of LIST_PAGES) {
      const t0 = performance.now();
      await openPage(path);
      timings.push(`${path}\t${Math.round(performance.now() - t0)} ms`);
      await shot(`page${path.replaceAll('/', '_')}`);
    }
    // open-to-settled time of each page (navigation, data sources, functions); docs/benchmarks/feature-pages.md
    console.log(`page open times (incl. a 300 ms settle pause):\n${timings.join('\n')}`);
  });

  it('creates an OAM app from YAML, deploys it to a GitOps environment and watches the status tree reach succeeded', async () => {
    const mark = consoleErrors.length;
    // the scope (team, GitOps target on a bare repository, environment) through the API
    const team = await api('POST', '/api/teams', { name: 'delivery-e2e' });
    expect(team.status).toBe(201);
    ids.team = team.body.id;
    const cluster = await api('POST', '/api/clusters', { team: ids.team, name: 'gitops-e2e', kind: 'gitops', git: { url: `file://${join(repoDir, 'repo.git')}`, branch: 'main' } });
    expect(cluster.status, JSON.stringify(cluster.body)).toBe(201);
    const env = await api('POST', '/api/environments', { team: ids.team, name: 'dev-e2e', cluster: cluster.body.id, namespace: 'e2e', stage: 'dev' });
    expect(env.status, JSON.stringify(env.body)).toBe(201);
    ids.env = env.body.id;

    // create through the apps page form
    await openPage('/apps/delivery/apps');
    await page.click('[data-testid=sw-toolbar-apps-create]');
    await page.waitForSelector('[data-testid=sw-form]');
    await pickOption('team', 'delivery-e2e');
    await page.fill('[data-testid=sw-form] #spec', APP_YAML);
    await page.click('[data-testid=sw-form-submit]');
    await page.waitForURL(/\/apps\/delivery\/app\?app=/, { timeout: 20_000 });
    ids.app = new URL(page.url()).searchParams.get('app')!;
    await settle();
    await waitNodeText('summary', /e2e-hello/);
    await waitNodeText('spec', /nginx:1\.27/);
    expect(errorsSince(mark)).toEqual([]);
    await shot('app-detail');

    // render preview tab
    await page.click('.ant-tabs-tab:has-text("Render preview")');
    await waitNodeText('renderObjects', /Deployment/);
    await waitNodeText('renderYaml', /apiVersion: apps\/v1/);

    // deploy through the app page
    await page.click('[data-testid=sw-toolbar-summary-deploy]');
    await page.waitForSelector('[data-testid=sw-form]');
    await pickOption('env', 'dev-e2e');
    await page.click('[data-testid=sw-form-submit]');
    await page.waitForURL(/\/apps\/delivery\/deployment\?id=/, { timeout: 20_000 });
    ids.deployment = new URL(page.url()).searchParams.get('id')!;
    await settle();
    // the page refreshes itself every 2 s: no reload here
    await waitNodeText('tree', /revision 1 → [^·]+ · succeeded/, 30_000);
    expect(await nodeText('tree')).toMatch(/web · succeeded/);
    await waitNodeText('events', /deployment succeeded/);
    expect(await nodeText('deployment')).toMatch(/succeeded/);
    await shot('deployment-status-tree');

    // the GitOps repository got the rendered objects
    const files = execFileSync('git', ['--git-dir', join(repoDir, 'repo.git'), 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' });
    expect(files).toMatch(/e2e/);

    // deployments list links to it
    await openPage('/apps/delivery/deployments');
    await waitNodeText('deployments', new RegExp(ids.deployment));

    // the live diff tab compares the app as it renders now with the repository's content
    await openPage(`/apps/delivery/app?app=${ids.app}&liveEnv=${ids.env}`);
    await page.click('.ant-tabs-tab:has-text("Live diff")');
    await waitNodeText('liveDiff', /Deployment\/web/);
    await waitNodeText('liveDiffText', /./);

    // a changed spec deployed again gives revision 2: the revisions tab diffs 1 → 2 and offers rollback
    const put = await api('PUT', `/api/oam/apps/${ids.app}`, { spec: APP_YAML.replace('replicas: 2', 'replicas: 3') });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const again = await api('POST', `/api/oam/apps/${ids.app}/deployments`, { env: ids.env });
    expect(again.status).toBe(202);
    for (let i = 0; i < 100; i++) {
      const d = await api('GET', `/api/oam/deployments/${again.body.id}`);
      if (d.body.deployment.status !== 'pending' && d.body.deployment.status !== 'running') break;
      await page.waitForTimeout(200);
    }
    await openPage(`/apps/delivery/app?app=${ids.app}&from=1&to=2`);
    await page.click('.ant-tabs-tab:has-text("Revisions")');
    await waitNodeText('revisions', /2/);
    await page.waitForSelector('[data-node=revisionDiff] [data-testid=diff]');
    await waitNodeText('revisionDiff', /replicas: 3/);
    await page.waitForSelector('[data-node=objectDiff] .ant-table-row');
    await waitNodeText('objectDiffText', /replicas: 3/);
    await shot('app-revisions');

    // roll back to revision 1 from its row: a confirmation, then the new deployment's status page
    await page.locator('[data-node=revisions] .ant-table-row', { hasText: 'dev-e2e' }).last().locator('button', { hasText: 'Roll back to this' }).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.waitForURL(/\/apps\/delivery\/deployment\?id=/, { timeout: 20_000 });
    await waitNodeText('tree', /rollback.*revision 1 → dev-e2e · succeeded/, 30_000);
    const rolled = await api('GET', `/api/oam/deployments/${new URL(page.url()).searchParams.get('id')}`);
    expect(rolled.body.deployment.rollbackOf).toBeTruthy();
    expect(errorsSince(mark)).toEqual([]);
  });

  it('opens the detail pages, imports a plugin and toggles it, previews a render and defines a catalogue metric', async () => {
    let mark = consoleErrors.length;
    await openPage(`/apps/delivery/app?app=${ids.app}`, 'page_delivery_app');
    await openPage(`/apps/delivery/deployment?id=${ids.deployment}`, 'page_delivery_deployment');
    await openPage('/apps/delivery/definitions');
    await waitNodeText('definitions', /webservice/);
    await openPage('/apps/delivery/definition?kind=component&name=webservice', 'page_delivery_definition');
    await waitNodeText('versions', /webservice|\d+\.\d+/);
    // import a plugin (.tgz of a JavaScript trait and a console form) through the definitions page
    const pluginDir = mkdtempSync(join(tmpdir(), 'sw-e2e-plugin-'));
    mkdirSync(join(pluginDir, 'definitions'));
    mkdirSync(join(pluginDir, 'forms', 'canary'), { recursive: true });
    writeFileSync(
      join(pluginDir, 'definitions', 'canary.yaml'),
      'apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\nmetadata: { name: canary }\nspec:\n  version: 0.3.0\n  schematic:\n    javascript:\n      file: canary.js\n      parameter: { type: object, properties: { weight: { type: integer } } }\n',
    );
    writeFileSync(join(pluginDir, 'definitions', 'canary.js'), 'export function render({ parameter }) { return { patch: { metadata: { annotations: { weight: String(parameter.weight) } } } }; }');
    writeFileSync(join(pluginDir, 'forms', 'canary', 'deploy.json'), JSON.stringify({ items: [{ name: 'weight', type: 'number' }] }));
    execFileSync('tar', ['-czf', join(pluginDir, 'canary.tgz'), '-C', pluginDir, 'definitions', 'forms']);
    await openPage('/apps/delivery/definitions');
    // a wrong type is refused on the page before anything is sent
    writeFileSync(join(pluginDir, 'notes.txt'), 'not a plugin');
    await page.setInputFiles('[data-node=pluginUpload] input[type=file]', join(pluginDir, 'notes.txt'));
    await waitNodeText('pluginUpload', /"notes.txt" is not an accepted type/);
    // a .tgz that is not gzip: the server's 4xx message shows on the file
    writeFileSync(join(pluginDir, 'broken.tgz'), 'not gzip');
    await page.setInputFiles('[data-node=pluginUpload] input[type=file]', join(pluginDir, 'broken.tgz'));
    await page.waitForSelector('[data-node=pluginUpload] [role=alert]');
    expect(await nodeText('pluginUpload')).not.toMatch(/Internal|HTTP_5/);
    // the browser logs that deliberate 400 and nothing else
    expect(errorsSince(mark)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    mark = consoleErrors.length;
    // the real plugin, uploaded through the FileUpload widget (cookie + CSRF via the API client)
    await page.setInputFiles('[data-node=pluginUpload] input[type=file]', join(pluginDir, 'canary.tgz'));
    await page.waitForSelector('[data-node=pluginUpload] .ant-progress-status-success');
    await shot('page_delivery_definitions_upload');
    rmSync(pluginDir, { recursive: true, force: true });
    await waitNodeText('pluginReport', /canary/);
    await waitNodeText('definitions', /canary/);

    // disable and enable it from its row
    const row = page.locator('[data-node=definitions] .ant-table-row', { hasText: 'canary' });
    await row.locator('button', { hasText: 'Disable' }).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await waitNodeText('history', /disable/);
    await row.locator('button', { hasText: 'Enable' }).click();
    await waitNodeText('history', /enable/);
    // a deep-linked filter holds (the filter bar republishes it, not an empty value)
    await openPage('/apps/delivery/definitions?kind=workflow-step');
    await waitNodeText('definitions', /suspend/);
    expect(await nodeText('definitions')).not.toMatch(/webservice/);
    const canary = await api('GET', '/api/oam/definitions/trait/canary');
    expect(canary.body.items.map((d: { disabled: boolean }) => d.disabled)).toEqual([false]);

    // render preview from the apps page (the form's sample spec), nothing stored
    await openPage('/apps/delivery/apps');
    await page.click('[data-testid=sw-toolbar-apps-preview]');
    await page.waitForSelector('[data-testid=sw-form]');
    await page.click('[data-testid=sw-form-submit]');
    await waitNodeText('previewObjects', /Deployment/);
    await waitNodeText('previewYaml', /apiVersion/);

    // the metric catalogue: define a metric through the form, then explore it
    await openPage('/apps/dataops/catalog');
    await page.click('[data-testid=sw-toolbar-catalogMetrics-add]');
    await page.waitForSelector('[data-testid=sw-form]');
    await pickOption('teamId', 'delivery-e2e');
    await page.fill('[data-testid=sw-form] #name', 'e2e_requests_total');
    await pickOption('type', 'counter');
    await page.fill('[data-testid=sw-form] #labels', 'job, instance');
    await page.click('[data-testid=sw-form-submit]');
    await waitNodeText('catalogMetrics', /e2e_requests_total/);
    expect(await nodeText('catalogMetrics')).toMatch(/instance/);
    await page.click('[data-node=catalogMetrics] a:has-text("e2e_requests_total")');
    await page.waitForURL(/\/apps\/dataops\/metrics\?q=e2e_requests_total/);
    expect(errorsSince(mark)).toEqual([]);
  });

  it('ingests samples, log lines and events through the real endpoints and finds them in the explorers', async () => {
    const mark = consoleErrors.length;
    const now = Date.now();
    // Prometheus remote_write (snappy protobuf) with the browser session's cookies
    const cookies = await ctx.cookies(server.url);
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = decodeURIComponent(cookies.find((c) => c.name === 'sw_csrf')?.value ?? '');
    const ts = Array.from({ length: 30 }, (_, i) => now - (29 - i) * 60_000);
    const body = snappyEncode(encodeWriteRequest([
      { labels: { __name__: 'e2e_requests_total', job: 'e2e', instance: 'a:9100' }, timestamps: ts, values: ts.map((_, i) => i * 10) },
      { labels: { __name__: 'e2e_requests_total', job: 'e2e', instance: 'b:9100' }, timestamps: ts, values: ts.map((_, i) => i * 5) },
    ]));
    const rw = await fetch(`${server.url}/prometheus/api/v1/write`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
      body: new Uint8Array(body),
    });
    expect(rw.status, await rw.text()).toBe(204);

    // Loki push (JSON) and events
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    const push = await api('POST', '/loki/api/v1/push', {
      streams: [{ stream: { app: 'e2e-web', level: 'info' }, values: [[ns(now - 3000), 'GET /health 200 in 3ms'], [ns(now - 2000), 'GET /orders 500 in 120ms upstream timeout'], [ns(now - 1000), 'GET /health 200 in 4ms']] }],
    });
    expect(push.status, JSON.stringify(push.body)).toBeLessThan(300);
    const ev = await api('POST', '/api/events', [{ time: now - 5000, labels: { cluster: 'e2e', namespace: 'web' }, type: 'Warning', reason: 'BackOff', message: 'e2e container restarted three times' }]);
    expect(ev.status, JSON.stringify(ev.body)).toBe(202);

    // metrics explorer: the query from the form, the chart and the series table
    await openPage('/apps/dataops/metrics');
    await page.fill('[data-node=promql] #query', 'e2e_requests_total');
    await page.click('[data-node=promql] button[type=submit]');
    await waitNodeText('seriesTable', /instance="a:9100"/);
    expect(await nodeText('seriesTable')).toMatch(/instance="b:9100"/);
    await page.waitForSelector('[data-node=chart] canvas');
    expect(page.url()).toMatch(/q=e2e_requests_total/);
    await waitNodeText('labels', /instance/);
    await shot('metrics-explorer');

    // a query that does not parse: the chart and the table say so, the form stays usable
    const beforeBad = consoleErrors.length;
    await page.fill('[data-node=promql] #query', 'rate(e2e_requests_total[5m]');
    await page.click('[data-node=promql] button[type=submit]');
    await page.waitForSelector('[data-node=chart][data-error]');
    expect(await page.getAttribute('[data-node=chart]', 'data-error')).toMatch(/400: .*parse|400: .*unclosed|400: .*expected/i);
    expect(await page.$('[data-testid=sw-page-error]')).toBeNull();
    // the browser logs the 400 itself; nothing else may appear
    expect(consoleErrors.splice(beforeBad).filter((e) => !/status of 400/.test(e))).toEqual([]);
    await page.fill('[data-node=promql] #query', 'sum(e2e_requests_total)');
    await page.click('[data-node=promql] button[type=submit]');
    await page.waitForSelector('[data-node=chart]:not([data-error]) canvas');
    await waitNodeText('seriesTable', /\{\}/);

    // logs explorer by deep link
    await openPage(`/apps/dataops/logs?lq=${encodeURIComponent('{app="e2e-web"}')}`);
    await waitNodeText('logViewer', /upstream timeout/);
    await waitNodeText('streams', /app="e2e-web"/);
    await shot('logs-explorer');

    // event search
    await openPage('/apps/dataops/events?text=restarted');
    await waitNodeText('events', /e2e container restarted three times/);
    expect(errorsSince(mark)).toEqual([]);
  });

  it('runs the AIOps tools: anomalies, periods, forecast on pasted series, log templates on a LogQL query, RCA on a CSV', async () => {
    const mark = consoleErrors.length;
    const now0 = Date.now() - 3_600_000;
    await openPage('/apps/aiops/anomalies');
    const values = Array.from({ length: 120 }, (_, i) => (i === 90 ? 60 : 10 + Math.sin(i / 3))).map((v) => v.toFixed(3)).join(' ');
    await page.fill('[data-node=pasteForm] #values', values);
    await page.click('[data-node=pasteForm] button[type=submit]');
    await page.waitForSelector('[data-node=scoreChart] canvas', { timeout: 20_000 });
    await waitNodeText('flagged', /90/);
    await shot('aiops-anomalies');

    await openPage('/apps/aiops/log-templates');
    await page.click('.ant-tabs-tab:has-text("From a LogQL query")');
    await page.fill('[data-node=queryForm] #query', '{app="e2e-web"}');
    await page.click('[data-node=queryForm] button[type=submit]');
    await waitNodeText('templates', /GET/);
    await shot('aiops-log-templates');

    // periods and forecast on a pasted seasonal series (period 12)
    const seasonal = Array.from({ length: 144 }, (_, i) => (50 + 10 * Math.sin((2 * Math.PI * i) / 12) + (i % 5) * 0.3).toFixed(2)).join('\n');
    await openPage('/apps/aiops/periods');
    await page.fill('[data-node=pasteForm] #values', seasonal);
    await page.click('[data-node=pasteForm] button[type=submit]');
    await waitNodeText('periods', /ACF12-0\.9/);
    await openPage('/apps/aiops/forecast');
    await page.fill('[data-node=pasteForm] #values', seasonal);
    await page.click('[data-node=pasteForm] button[type=submit]');
    await page.waitForSelector('[data-node=forecastChart] canvas', { timeout: 20_000 });
    await waitNodeText('model', /RMSE/);
    expect(await nodeText('model')).toMatch(/Season\s*12/);
    await shot('aiops-forecast');

    // root cause analysis on a pasted CSV: payment's CPU jumps at row 21, both latencies follow
    const csv = ['time,checkout_latency,checkout_cpu,payment_latency,payment_cpu'];
    for (let i = 0; i < 40; i++) {
      const fault = i >= 20;
      csv.push([new Date(now0 + i * 60_000).toISOString(), 100 + (i % 3) + (fault ? 60 : 0), 0.3 + (i % 2) * 0.01, 80 + (i % 4) + (fault ? 90 : 0), 0.2 + (i % 3) * 0.01 + (fault ? 0.7 : 0)].join(','));
    }
    await openPage('/apps/aiops/rca');
    // the CSV read from a file (in the browser) fills the form
    const csvFile = join(SHOTS, 'rca-metrics.csv');
    writeFileSync(csvFile, csv.join('\n'));
    await page.setInputFiles('[data-node=rcaFile] [data-testid=upload-input]', csvFile);
    await page.waitForFunction(() => (document.querySelector('[data-node=rcaForm] #csv') as HTMLTextAreaElement | null)?.value.startsWith('time,checkout_latency'));
    await page.fill('[data-node=rcaForm] #csv', csv.join('\n'));
    await page.fill('[data-node=rcaForm] #faultStart', '21');
    await page.click('[data-node=rcaForm] button[type=submit]');
    await waitNodeText('ranking', /payment/);
    const first = await page.textContent('[data-node=ranking] .ant-table-row');
    expect(first).toMatch(/^1payment/);
    await shot('aiops-rca');

    const runs = await api('GET', '/api/aiops/runs');
    expect(runs.body.items.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['anomalies', 'log-templates', 'periods', 'forecast', 'rca']));
    await openPage('/apps/aiops/runs');
    await waitNodeText('runs', /anomalies/);
    expect(errorsSince(mark)).toEqual([]);
  });

  it('keeps build secrets write-only and starts builds from the app page with clear errors', async () => {
    const mark = consoleErrors.length;
    await openPage('/apps/delivery/build-secrets', 'page_delivery_build_secrets');
    await page.click('[data-testid=sw-toolbar-secrets-registry]');
    await page.waitForSelector('[data-testid=sw-form]');
    await pickOption('team', 'delivery-e2e');
    await page.fill('[data-testid=sw-form] #name', 'push-e2e');
    await page.fill('[data-testid=sw-form] #registry', 'registry.example.com');
    await page.fill('[data-testid=sw-form] #username', 'robot');
    await page.fill('[data-testid=sw-form] #password', 'S3CRET-e2e-value');
    await page.click('[data-testid=sw-form-submit]');
    await waitNodeText('secrets', /push-e2e/);
    expect(await nodeText('secrets')).toMatch(/registry.*password/);
    expect(await page.content()).not.toContain('S3CRET-e2e-value');
    const listed = await api('GET', '/api/oam/build-secrets');
    expect(JSON.stringify(listed.body)).not.toContain('S3CRET-e2e-value');
    await shot('build-secrets');

    // the Builds tab of the app: empty, then the start form with the app's components and the
    // team's secrets; a GitOps environment cannot run builds, which the form says
    await openPage(`/apps/delivery/app?app=${ids.app}`);
    await page.click('.ant-tabs-tab:has-text("Builds")');
    await waitNodeText('appBuilds', /No builds yet/);
    await page.click('[data-testid=sw-toolbar-appBuilds-start]');
    await page.waitForSelector('[data-testid=sw-form]');
    await pickOption('component', 'web');
    await pickOption('env', 'dev-e2e');
    await page.fill('[data-testid=sw-form] #gitUrl', 'https://git.example.com/team/web.git');
    await page.fill('[data-testid=sw-form] #image', 'registry.example.com/team/web:1.0.0');
    await pickOption('pushSecret', 'push-e2e');
    await page.click('[data-testid=sw-form-submit]');
    await page.waitForSelector('[data-testid=sw-form-error]');
    expect(await page.textContent('[data-testid=sw-form-error]')).toMatch(/builds run on a Kubernetes cluster/);
    await shot('build-start-refused');
    expect(errorsSince(mark).filter((e) => !/400/.test(e))).toEqual([]);
  });
});

