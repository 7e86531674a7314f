import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '@sreworks/server/testing';
import { runCli } from './run-cli.js';

// sreworks build secret set|list|delete against a real platform: values go in from a file and
// never come back out.
let t: TestPlatform;
let url: string;
let token: string;
const dir = mkdtempSync(join(tmpdir(), 'sw-cli-build-'));

const run = (args: string[]) => runCli(['--url', url, '--token', token, ...args]);

beforeAll(async () => {
  t = await startTestPlatform();
  await t.platform.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.platform.app.server.address() as { port: number }).port}`;
  token = (await t.platform.app.inject({ method: 'POST', url: '/api/tokens', headers: t.admin, payload: { name: 'cli-build', scopes: ['*'] } })).json().token;
  process.env.SREWORKS_CONFIG = join(dir, 'config.json');
});
afterAll(async () => {
  delete process.env.SREWORKS_CONFIG;
  await t?.dispose();
});

describe('sreworks build secret', () => {
  it('sets, lists and deletes team build secrets without ever printing a value', async () => {
    const team = JSON.parse((await run(['-o', 'json', 'team', 'create', 'ci'])).out);
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'TOPSECRET-REGISTRY-PW\n', { mode: 0o600 });
    const set = await run(['-o', 'json', 'build', 'secret', 'set', 'push', '--team', 'ci', '--kind', 'registry', '--registry', 'registry.example.com', '--username', 'ci', '--from-file', pw]);
    expect(set.err).toBe('');
    expect(JSON.parse(set.out)).toMatchObject({ team: team.id, name: 'push', kind: 'registry', fields: ['password', 'registry', 'username'] });
    const tok = join(dir, 'tok');
    writeFileSync(tok, 'ghp_TOPSECRETTOKEN');
    expect((await run(['build', 'secret', 'set', 'git', '--team', team.id, '--kind', 'git', '--from-file', tok])).code).toBe(0);
    const list = await run(['build', 'secret', 'list', '--team', 'ci']);
    expect(list.out).toMatch(/git\s+git\s+password,username/);
    expect(list.out).toMatch(/push\s+registry\s+password,registry,username/);
    expect(list.out + set.out).not.toMatch(/TOPSECRET/);
    const bad = await run(['build', 'secret', 'set', 'x', '--team', 'ci', '--kind', 'registry', '--username', 'ci']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\(body\.data\.password\) \[OAM_BUILD_SECRET\]/);
    expect((await run(['build', 'secret', 'delete', 'git', '--team', 'ci'])).code).toBe(0);
    expect((await run(['-o', 'json', 'build', 'secret', 'list'])).out).not.toContain('"git"');
  });
});
