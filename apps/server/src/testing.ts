// Test support: a whole platform on a fresh database of any dialect, driven through inject().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@sreworks/kernel';
import type { TestDialect } from '@sreworks/store/testing';
import { buildPlatform, type Platform } from './app.js';
import { ensureAdmin } from './bootstrap.js';
import type { PlatformModule } from './core/module.js';

export const TEST_ADMIN_PASSWORD = 'test-admin-password-1';

export interface TestPlatform {
  platform: Platform;
  /** headers for an admin session (cookie + CSRF) */
  admin: Record<string, string>;
  login(username: string, password: string): Promise<Record<string, string>>;
  dispose(): Promise<void>;
}

export async function startTestPlatform(opts: { dialect?: TestDialect; modules?: PlatformModule[]; env?: Record<string, string> } = {}): Promise<TestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-plat-'));
  const db = opts.dialect ? await opts.dialect.open() : undefined;
  // the test database is handed over by URL; close the opener's pool
  if (db) await db.store.close();
  const config = loadConfig({ SREWORKS_DATA_DIR: dir, SREWORKS_SECRET_KEY: 'test-secret', SREWORKS_LOG_LEVEL: 'warn', ...(db ? { SREWORKS_DATABASE_URL: db.url } : {}), ...opts.env });
  const platform = await buildPlatform(config, { logger: false, modules: opts.modules });
  await ensureAdmin(platform.identity, TEST_ADMIN_PASSWORD, () => {});
  async function login(username: string, password: string) {
    const r = await platform.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
    const cookies = r.cookies as Array<{ name: string; value: string }>;
    const session = cookies.find((c) => c.name === 'sw_session')!.value;
    const csrf = cookies.find((c) => c.name === 'sw_csrf')!.value;
    return { cookie: `sw_session=${session}; sw_csrf=${csrf}`, 'x-csrf-token': csrf };
  }
  const admin = await login('admin', TEST_ADMIN_PASSWORD);
  return {
    platform,
    admin,
    login,
    async dispose() {
      await platform.close();
      if (db) await db.dispose().catch(() => {}); // drops the test database
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
