import type { FastifyInstance } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { PermissionDef, PermissionRegistry, PlatformConfig, Sealer } from '@sreworks/kernel';
import type { Migration, Store } from '@sreworks/store';
import type { IdentityService } from '../identity/service.js';
import type { ScopeService } from '../scope/service.js';

/** What the platform gives every module. */
export interface ModuleContext {
  config: PlatformConfig;
  store: Store;
  sealer: Sealer;
  identity: IdentityService;
  scope: ScopeService;
  log: FastifyBaseLogger;
  /** every permission of every module */
  permissions: PermissionRegistry;
}

/**
 * A feature area of the platform (identity, scope, oam, telemetry, aiops, lowcode…): its
 * permissions, its migrations, its routes and, optionally, background work.
 */
export interface PlatformModule {
  name: string;
  permissions?: PermissionDef[];
  migrations?: Migration[];
  /** register route plugins, each under its prefix (`/api`, `/prometheus`, …). */
  routes?(app: FastifyInstance, ctx: ModuleContext): Promise<void>;
  /** start background work (workers, schedulers) when the process has that role. */
  start?(ctx: ModuleContext): Promise<void>;
  stop?(): Promise<void>;
}
