import { resolve } from 'node:path';

export interface PlatformConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  secretKey: string | undefined;
  logLevel: string;
  /** api, ingest, worker, scheduler, console — all by default (one process). */
  roles: Set<string>;
  /** trust X-Forwarded-* from a proxy in front. */
  trustProxy: boolean;
  /** mark cookies Secure (behind HTTPS). */
  secureCookies: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlatformConfig {
  const port = Number(env.SREWORKS_PORT ?? 7001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SREWORKS_PORT must be a port number, got "${env.SREWORKS_PORT}"`);
  return {
    host: env.SREWORKS_HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(cwd, env.SREWORKS_DATA_DIR ?? 'data'),
    databaseUrl: env.SREWORKS_DATABASE_URL || undefined,
    adminPassword: env.SREWORKS_ADMIN_PASSWORD || undefined,
    secretKey: env.SREWORKS_SECRET_KEY || undefined,
    logLevel: env.SREWORKS_LOG_LEVEL ?? 'info',
    roles: new Set((env.SREWORKS_ROLES ?? 'api,ingest,worker,scheduler,console').split(',').map((s) => s.trim())),
    trustProxy: env.SREWORKS_TRUST_PROXY === 'true',
    secureCookies: env.SREWORKS_SECURE_COOKIES === 'true',
  };
}
