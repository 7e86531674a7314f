// Every mutating call (and every login attempt) is recorded: who, what, target, when, outcome.
import fp from 'fastify-plugin';
import { newId } from '@sreworks/kernel';
import { toJson, type Store } from '@sreworks/store';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const auditPlugin = fp<{ store: Store }>(
  async (app, { store }) => {
    app.addHook('onResponse', async (req, reply) => {
      const cfg = req.routeOptions.config;
      if (SAFE.has(req.method) || !req.routeOptions.url || cfg?.noAudit) return;
      if (!cfg?.permission) return;
      const target = req.auditTarget ?? Object.entries((req.params as Record<string, string>) ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      const row = {
        id: newId(),
        at: new Date().toISOString(),
        actor_id: req.auth?.userId ?? null,
        actor: req.auth?.username ?? (req.auditDetails?.username as string | undefined) ?? null,
        action: `${req.method} ${req.routeOptions.url}`,
        permission: cfg.permission,
        target: target ? target.slice(0, 255) : null,
        outcome: reply.statusCode,
        ip: req.ip,
        request_id: String(req.id),
        details: req.auditDetails ? toJson(req.auditDetails) : null,
      };
      try {
        await store.db.insertInto('audit_log').values(row).execute();
      } catch (err) {
        req.log.error({ err }, 'audit write failed');
      }
    });
  },
  { name: 'sreworks-audit' },
);
