// Starts the real platform (temp data dir, SQLite) serving a fresh console build, and a headless
// Chromium driven by playwright-core. Used by the e2e suite and the console benchmark.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '@sreworks/kernel';
import { buildPlatform, builtinModules, ensureAdmin, type Platform, type PlatformModule } from '@sreworks/server';
import { lowcodeModule } from '@sreworks/lowcode';
import type { Browser } from 'playwright-core';

export const CONSOLE_DIR = resolve(import.meta.dirname, '..');
export const REPO_DIR = resolve(CONSOLE_DIR, '../..');
export const CHROMIUM = process.env.SREWORKS_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'e2e-admin-password-1';
/** ../shared/fixtures from the repository root (one level more from a worktree under /work/wt). */
export const FIXTURES = [process.env.SREWORKS_FIXTURES, join(REPO_DIR, '../shared/fixtures'), join(REPO_DIR, '../../shared/fixtures')].filter((d): d is string => Boolean(d)).find((d) => existsSync(d));

/** Builds apps/console/dist when it is missing or older than the sources (the same check as `npm start`). */
export function ensureConsoleBuild(): void {
  execFileSync(process.execPath, [join(REPO_DIR, 'scripts/build-if-needed.mjs')], { cwd: REPO_DIR, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

export interface RunningServer {
  url: string;
  platform: Platform;
  dataDir: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-e2e-'));
  const config = loadConfig({ SREWORKS_DATA_DIR: dataDir, SREWORKS_SECRET_KEY: 'e2e-secret', SREWORKS_LOG_LEVEL: 'warn', SREWORKS_PORT: '0' });
  const modules = builtinModules();
  if (!modules.some((m) => m.name === 'lowcode')) modules.push(lowcodeModule({ opsAppsDir: join(REPO_DIR, 'ops-apps') }) as PlatformModule);
  const platform = await buildPlatform(config, { logger: false, modules });
  await ensureAdmin(platform.identity, ADMIN_PASSWORD, () => {});
  await platform.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = platform.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    platform,
    dataDir,
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches Chromium, or explains why it cannot (the caller decides between skip and fail). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function browserAvailable(): { ok: boolean; reason?: string } {
  if (existsSync(CHROMIUM)) return { ok: true };
  const reason = `Chromium not found at ${CHROMIUM}`;
  if (process.env.SREWORKS_REQUIRE_BROWSER === '1') throw new Error(`${reason}, and SREWORKS_REQUIRE_BROWSER=1: install it (apt-get install -y chromium)`);
  return { ok: false, reason };
}
