import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_ADMIN_PASSWORD, type TestPlatform } from '@sreworks/server/testing';
import { runCli } from './run-cli.js';

let t: TestPlatform;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));

const run = (args: string[]) => runCli(['--url', url, ...args]);

beforeAll(async () => {
  t = await startTestPlatform();
  await t.platform.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.platform.app.server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}`;
  process.env.SREWORKS_CONFIG = join(dir, 'config.json');
});
afterAll(async () => {
  delete process.env.SREWORKS_CONFIG;
  delete process.env.SREWORKS_TOKEN;
  await t?.dispose();
});

describe('sreworks CLI', () => {
  it('logs in through a real process, saving a token with mode 0600', async () => {
    // async spawn: the server under test lives in this process and must keep answering
    const child = spawn(process.execPath, ['apps/cli/bin/sreworks.js', '--url', url, 'login', '-u', 'admin', '--password-stdin'], {
      env: { ...process.env, SREWORKS_CONFIG: join(dir, 'config.json') },
    });
    child.stdin.end(TEST_ADMIN_PASSWORD + '\n');
    const r = { stderr: '', status: -1 as number | null };
    child.stderr.on('data', (d) => (r.stderr += d));
    r.status = await new Promise((res) => child.on('close', res));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).token).toMatch(/^swt_/);
  });

  it('manages teams, clusters and environments', async () => {
    expect((await run(['whoami'])).out).toContain('admin');
    const team = await run(['-o', 'json', 'team', 'create', 'platform']);
    expect(team.code).toBe(0);
    const teamId = JSON.parse(team.out).id;
    const kc = join(dir, 'kubeconfig');
    writeFileSync(kc, 'apiVersion: v1\nclusters:\n- name: k\n  cluster:\n    server: https://k8s.example:6443\n');
    const c = await run(['-o', 'json', 'cluster', 'add', 'dev-k8s', '--team', teamId, '--kubeconfig', kc]);
    expect(c.code).toBe(0);
    const clusterId = JSON.parse(c.out).id;
    expect((await run(['env', 'create', 'dev', '--team', teamId, '--cluster', clusterId, '--namespace', 'apps-dev'])).code).toBe(0);
    const list = await run(['env', 'list']);
    expect(list.out).toMatch(/dev\s+.*dev-k8s\s+apps-dev\s+dev/);
  });

  it('prints one clear error line with the field for bad input', async () => {
    const r = await run(['team', 'create', 'Not A DNS Name']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: body.name .*\(body.name\) \[INPUT_INVALID\]\n$/);
  });

  it('queries logs, events and PromQL with the saved login, and keeps the metric catalogue', async () => {
    const token = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).token as string;
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const now = BigInt(Date.now()) * 1_000_000n;
    const push = await fetch(url + '/loki/api/v1/push', { method: 'POST', headers: h, body: JSON.stringify({ streams: [{ stream: { app: 'cli-test', level: 'error' }, values: [[String(now - 2_000_000_000n), 'first line'], [String(now - 1_000_000_000n), 'payment failed id=42']] }] }) });
    expect(push.status).toBe(204);
    const logs = await run(['logs', '{app="cli-test"} |= "failed"', '--since', '10m']);
    expect(logs.code).toBe(0);
    expect(logs.out).toMatch(/Z {2}\{app="cli-test", level="error"\} {2}payment failed id=42\n$/);
    expect(logs.out).not.toContain('first line');
    const forward = await run(['logs', '{app="cli-test"}', '--forward']);
    expect(forward.out.indexOf('first line')).toBeLessThan(forward.out.indexOf('payment failed'));
    const count = await run(['logs', 'sum(count_over_time({app="cli-test"}[10m]))', '--since', '5m']);
    expect(count.out).toMatch(/ 2\n/);
    const badLogql = await run(['logs', '{app=']);
    expect(badLogql.code).toBe(2);
    expect(badLogql.err).toMatch(/^error: .*\(query\)/);

    const ev = await fetch(url + '/api/events', { method: 'POST', headers: h, body: JSON.stringify({ time: Date.now(), labels: { app: 'cli-test' }, type: 'warning', reason: 'Restarted', message: 'pod api-1 restarted 3 times' }) });
    expect(ev.status).toBe(202);
    const events = await run(['events', '--labels', 'app=cli-test', '-q', 'restarted']);
    expect(events.code).toBe(0);
    expect(events.out).toMatch(/warning\s+Restarted\s+1\s+\{app="cli-test"\}\s+pod api-1 restarted 3 times/);

    // PromQL through the saved login (no SREWORKS_URL / SREWORKS_TOKEN in the environment)
    const q = await run(['query', 'vector(7)']);
    expect(q.code).toBe(0);
    expect(q.out.trim()).toBe('{}  7');

    const team = JSON.parse((await run(['-o', 'json', 'team', 'create', 'observability'])).out).id;
    const add = await run(['-o', 'json', 'metric', 'add', 'api_error_ratio', '--team', team, '--type', 'derived', '--labels', 'service,env', '--promql', 'sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))']);
    expect(add.code).toBe(0);
    const id = JSON.parse(add.out).id;
    expect((await run(['metric', 'list'])).out).toMatch(/api_error_ratio\s+derived/);
    const bad = await run(['metric', 'add', 'broken', '--team', team, '--type', 'derived', '--promql', 'sum(']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\(body.promql\)/);
    expect((await run(['metric', 'delete', id])).code).toBe(0);
  });

  it('exports an ops app with its pages, imports it back and publishes a page', async () => {
    const apps = await run(['page', 'apps']);
    expect(apps.out).toMatch(/^ID\s+NAME/);
    const first = apps.out.split('\n')[1]!.split(/\s+/)[0]!;
    const pages = await run(['-o', 'json', 'page', 'list', first]);
    expect(JSON.parse(pages.out).length).toBeGreaterThan(0);
    const file = join(dir, 'app.json');
    const exp = await run(['page', 'export', first, '-f', file]);
    expect(exp.out).toMatch(new RegExp(`exported ${first} \\(\\d+ pages\\) to `));
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    const imp = await run(['-o', 'json', 'page', 'import', file, '--as', 'cli-copy']);
    expect(imp.code, imp.err).toBe(0);
    expect((await run(['page', 'list', 'cli-copy'])).out.split('\n').length).toBe(JSON.parse(pages.out).length + 2);
    const pageId = bundle.pages[0].id;
    const pub = await run(['page', 'publish', 'cli-copy', pageId]);
    expect(pub.code, pub.err).toBe(0);
    expect(pub.out).toMatch(/^published cli-copy\/.+: version \d+\n$/);
    writeFileSync(join(dir, 'broken.json'), '{"app": ');
    const broken = await run(['page', 'import', join(dir, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/broken.json: not a JSON file/);
  });
});
