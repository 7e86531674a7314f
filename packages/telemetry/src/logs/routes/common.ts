import { InputError, TooManyRequestsError } from '@sreworks/kernel';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogStore } from '../types.js';
import { DEFAULT_TENANT_LABEL, readTenants } from '../../metrics/tenant.js';
import { scopedLogStore } from '../tenant.js';
import type { IngestLimits } from '../ingest/body.js';
import type { LogQLLimits } from '../logql/engine.js';

export const TELEMETRY_READ = 'telemetry.read';
export const TELEMETRY_WRITE = 'telemetry.write';

/**
 * Bounds the bytes of ingestion requests being decoded and stored at once. Beyond the bound a
 * request is refused before its body is read: 429 with Retry-After, which Loki clients,
 * OTLP exporters and Beats all retry.
 */
export class IngestLimiter {
  private inflight = 0;
  constructor(
    readonly maxInflightBytes = 64 * 1024 * 1024,
    readonly retryAfterSeconds = 1,
  ) {}
  get inflightBytes(): number {
    return this.inflight;
  }
  tryAcquire(bytes: number): boolean {
    if (this.inflight > 0 && this.inflight + bytes > this.maxInflightBytes) return false;
    this.inflight += bytes;
    return true;
  }
  release(bytes: number): void {
    this.inflight = Math.max(0, this.inflight - bytes);
  }
}

export interface LogRoutesOptions {
  logs: LogStore;
  /** Shared across the ingestion plugins so the bound is per process. */
  limiter?: IngestLimiter;
  ingestLimits?: IngestLimits;
  queryLimits?: LogQLLimits;
  /** Largest request body accepted on the wire (before decompression). Default 20 MiB. */
  bodyLimit?: number;
  /** Loki push: add a `service_name` label from app/service/container… as Loki 3 does. Default off. */
  discoverServiceName?: boolean;
  /**
   * Team isolation, as for metrics: the team a request acts for (undefined: no isolation, the
   * caller sees and writes every tenant). Written lines and events get `tenantLabel=<team>`,
   * reads see only that team's.
   */
  tenantOf?: (request: FastifyRequest) => string | undefined;
  /** The teams a read covers (a member of several teams reads them all); default [tenantOf]. */
  readTenantsOf?: (request: FastifyRequest) => string[] | undefined;
  /** Default `team`, the label metrics use. */
  tenantLabel?: string;
}

/** The store a write goes to: stamped with the request's team (the whole store when it has none). */
export function logsFor(opts: LogRoutesOptions, req: FastifyRequest): LogStore {
  const team = opts.tenantOf?.(req);
  return team ? scopedLogStore(opts.logs, opts.tenantLabel ?? DEFAULT_TENANT_LABEL, team) : opts.logs;
}

/** The store a read sees: the request's teams (the whole store when it has none). */
export function logsToRead(opts: LogRoutesOptions, req: FastifyRequest): LogStore {
  const teams = readTenants(opts, req);
  return teams ? scopedLogStore(opts.logs, opts.tenantLabel ?? DEFAULT_TENANT_LABEL, teams) : opts.logs;
}

const HELD = Symbol('ingestBytesHeld');

/** Route hooks that apply the limiter: acquire on arrival (from Content-Length), release on response. */
export function limiterHooks(limiter: IngestLimiter) {
  return {
    onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
      const bytes = Math.max(Number(req.headers['content-length'] ?? 0) || 0, 1024);
      if (!limiter.tryAcquire(bytes)) {
        reply.header('Retry-After', String(limiter.retryAfterSeconds));
        throw new TooManyRequestsError('ingestion is overloaded, retry later', limiter.retryAfterSeconds, 'TELEMETRY_INGEST_OVERLOADED');
      }
      (req as unknown as Record<symbol, number>)[HELD] = bytes;
    },
    onResponse: async (req: FastifyRequest) => {
      const held = (req as unknown as Record<symbol, number | undefined>)[HELD];
      if (held) limiter.release(held);
    },
  };
}

/** Every body reaches the decoders as raw bytes: they dispatch on Content-Type/Encoding themselves. */
export function rawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}

export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function bodyBuffer(req: FastifyRequest): Buffer {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.body === undefined || req.body === null) throw new InputError('request body is empty', { field: 'body' }, 'TELEMETRY_BODY_EMPTY');
  return Buffer.from(String(req.body));
}

/**
 * Loki/Prometheus time parameter: RFC3339, float seconds, or an integer (≤ 10 digits = seconds,
 * otherwise nanoseconds, as Loki reads it). Returns nanoseconds.
 */
export function parseTimeParam(v: string | undefined, field: string, fallback: bigint): bigint {
  if (v === undefined || v === '') return fallback;
  if (/^\d+$/.test(v)) return v.length <= 10 ? BigInt(v) * 1_000_000_000n : BigInt(v);
  if (/^\d+\.\d+$/.test(v)) {
    const [s, f] = v.split('.');
    return BigInt(s!) * 1_000_000_000n + BigInt(f!.slice(0, 9).padEnd(9, '0'));
  }
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new InputError(`cannot parse "${v}" as a timestamp (RFC3339, unix seconds or nanoseconds)`, { field }, 'LOKI_TIME');
  const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
  return BigInt(ms) * 1_000_000n + (frac.length > 3 ? BigInt(frac.slice(3, 9).padEnd(6, '0')) : 0n);
}

/** Step: a duration ("15s", "1m") or float seconds. Returns milliseconds. */
export function parseStepParam(v: string | undefined, fallbackMs: number): number {
  if (v === undefined || v === '') return fallbackMs;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Number(v) * 1000;
  const m = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+$/.test(v);
  if (!m) throw new InputError(`cannot parse "${v}" as a step (a duration like 15s or seconds)`, { field: 'step' }, 'LOKI_STEP');
  const units: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, y: 31536e6 };
  let total = 0;
  for (const x of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) total += Number(x[1]) * units[x[2]!]!;
  return total;
}

/** Loki's default step: (end - start) / 250, at least 1 s. */
export function defaultStepMs(startNs: bigint, endNs: bigint): number {
  return Math.max(1000, Math.ceil(Number((endNs - startNs) / 1_000_000n) / 250 / 1000) * 1000);
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

// OpenAPI fields (read by @fastify/swagger in the server) and the permission the server's
// preHandler checks. Declared here so this package type-checks without the server's plugins.
declare module 'fastify' {
  interface FastifySchema {
    tags?: readonly string[];
    summary?: string;
  }
  interface FastifyContextConfig {
    permission?: string;
  }
}
