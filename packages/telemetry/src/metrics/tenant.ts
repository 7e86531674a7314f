// Team isolation: when the server resolves a request to a team (ingestion tokens are scoped to
// one), every stored series carries the team label, set by us and never by the sender, and every
// read is narrowed to that team's series.
import type { FastifyRequest } from 'fastify';
import type { Labels, Matcher, Queryable, SelectHints, SeriesData } from '@sreworks/promql';
import type { SeriesSamples } from './types.js';

export const DEFAULT_TENANT_LABEL = 'team';

/** How routes learn a request's teams: the one it writes for, and (optionally) those it reads. */
export interface TenantResolvers {
  tenantOf?: (request: FastifyRequest) => string | undefined;
  readTenantsOf?: (request: FastifyRequest) => string[] | undefined;
}

/** The teams a read covers: `readTenantsOf`, else the one team of `tenantOf` (undefined: all). */
export function readTenants(opts: TenantResolvers, req: FastifyRequest): string[] | undefined {
  if (opts.readTenantsOf) return opts.readTenantsOf(req);
  const t = opts.tenantOf?.(req);
  return t ? [t] : undefined;
}

/** `a|b`, each tenant regex-escaped: a matcher value for several tenants. */
export function tenantAlternation(tenants: readonly string[]): string {
  return tenants.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** A Queryable that only sees series whose tenant label is `tenant` (or one of several). */
export function scopedQueryable(q: Queryable, label: string, tenant: string | readonly string[]): Queryable {
  const tenants = typeof tenant === 'string' ? [tenant] : tenant;
  const m: Matcher =
    tenants.length === 1
      ? { name: label, type: '=', value: tenants[0]! }
      : { name: label, type: '=~', value: tenantAlternation(tenants) };
  return {
    select: (ms: Matcher[], s: number, e: number, h?: SelectHints): Promise<SeriesData[]> => q.select([...ms, m], s, e, h),
    labelNames: (ms: Matcher[], s: number, e: number) => q.labelNames([...ms, m], s, e),
    labelValues: (n: string, ms: Matcher[], s: number, e: number) => q.labelValues(n, [...ms, m], s, e),
    series: (ms: Matcher[], s: number, e: number): Promise<Labels[]> => q.series([...ms, m], s, e),
  };
}

const stamped = new WeakMap<object, Map<string, Labels>>();

/** Sets the tenant label on every series (overriding what the sender put there). */
export function stampTenant(series: SeriesSamples[], label: string, tenant: string): SeriesSamples[] {
  return series.map((s) => {
    // decoders reuse one frozen labels object per series: reuse one stamped copy too
    let perTenant = Object.isFrozen(s.labels) ? stamped.get(s.labels) : undefined;
    let labels = perTenant?.get(tenant);
    if (!labels) {
      labels = { ...s.labels, [label]: tenant };
      if (Object.isFrozen(s.labels)) {
        Object.freeze(labels);
        if (!perTenant) stamped.set(s.labels, (perTenant = new Map()));
        perTenant.set(tenant, labels);
      }
    }
    return { labels, timestamps: s.timestamps, values: s.values };
  });
}
