import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPlatform, TEST_ADMIN_PASSWORD, type TestPlatform } from '@sreworks/server/testing';
import { main } from '../src/main.js';

let t: TestPlatform;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += s), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += s), true));
  try {
    const code = await main(['node', 'sreworks', '--url', url, ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

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
});
