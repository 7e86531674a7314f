import { InputError } from '@sreworks/kernel';
import { isValidLabelName } from '../labels.js';
import type { EventInput, Labels } from '../types.js';

const AREA = 'EVENTS';

function timeOf(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  throw new InputError('time must be an ISO-8601 date or epoch milliseconds', { field }, `${AREA}_TIME`);
}

function isKubeEvent(o: Record<string, unknown>): boolean {
  return typeof o.involvedObject === 'object' || typeof o.regarding === 'object' || o.kind === 'Event';
}

/** A Kubernetes core/v1 or events.k8s.io/v1 Event (as kubernetes-event-exporter posts it). */
function fromKube(o: Record<string, any>, field: string, cluster: string | undefined): EventInput {
  const obj = (o.regarding ?? o.involvedObject ?? {}) as Record<string, string>;
  const md = (o.metadata ?? {}) as Record<string, string>;
  const time =
    timeOf(o.series?.lastObservedTime, `${field}.series.lastObservedTime`) ??
    timeOf(o.lastTimestamp, `${field}.lastTimestamp`) ??
    timeOf(o.deprecatedLastTimestamp, `${field}.deprecatedLastTimestamp`) ??
    timeOf(o.eventTime, `${field}.eventTime`) ??
    timeOf(o.firstTimestamp, `${field}.firstTimestamp`) ??
    timeOf(md.creationTimestamp, `${field}.metadata.creationTimestamp`) ??
    Date.now();
  const message = String(o.note ?? o.message ?? '');
  const labels: Labels = { source: 'kubernetes' };
  if (cluster ?? o.clusterName) labels.cluster = String(cluster ?? o.clusterName);
  const ns = obj.namespace ?? md.namespace;
  if (ns) labels.namespace = ns;
  if (obj.kind) labels.kind = obj.kind;
  if (obj.name) labels.name = obj.name;
  const controller = o.reportingController ?? o.source?.component;
  if (controller) labels.reporting_controller = String(controller);
  const uid = obj.uid ?? md.uid ?? `${ns}/${obj.kind}/${obj.name}`;
  return {
    time,
    labels,
    type: String(o.type ?? 'Normal'),
    reason: String(o.reason ?? ''),
    message,
    count: Number(o.series?.count ?? o.count ?? o.deprecatedCount ?? 1) || 1,
    // One row per (cluster, object, reason): repeated occurrences update it, as kubectl shows them.
    fingerprint: `k8s/${labels.cluster ?? ''}/${uid}/${o.reason ?? ''}`,
    attributes: { involvedObject: obj, eventName: md.name, host: o.source?.host ?? o.reportingInstance },
  };
}

function fromNative(o: Record<string, unknown>, field: string): EventInput {
  const allowed = new Set(['time', 'labels', 'type', 'reason', 'message', 'count', 'fingerprint', 'attributes']);
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new InputError(`unknown field "${k}"`, { field: `${field}.${k}` }, `${AREA}_SHAPE`);
  if (typeof o.message !== 'string' || o.message === '') throw new InputError('message is required', { field: `${field}.message` }, `${AREA}_SHAPE`);
  const labels = (o.labels ?? {}) as Labels;
  if (typeof labels !== 'object' || Array.isArray(labels)) throw new InputError('labels must be an object of strings', { field: `${field}.labels` }, `${AREA}_SHAPE`);
  for (const [k, v] of Object.entries(labels)) {
    if (!isValidLabelName(k)) throw new InputError(`invalid label name "${k}"`, { field: `${field}.labels.${k}` }, 'LOGS_LABEL_NAME');
    if (typeof v !== 'string') throw new InputError('label values must be strings', { field: `${field}.labels.${k}` }, 'LOGS_LABEL_VALUE');
  }
  for (const k of ['type', 'reason', 'fingerprint'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new InputError(`${k} must be a string`, { field: `${field}.${k}` }, `${AREA}_SHAPE`);
  }
  if (o.count !== undefined && (typeof o.count !== 'number' || !Number.isInteger(o.count) || o.count < 1)) {
    throw new InputError('count must be a positive integer', { field: `${field}.count` }, `${AREA}_SHAPE`);
  }
  if (o.attributes !== undefined && (typeof o.attributes !== 'object' || o.attributes === null || Array.isArray(o.attributes))) {
    throw new InputError('attributes must be an object', { field: `${field}.attributes` }, `${AREA}_SHAPE`);
  }
  return {
    time: timeOf(o.time, `${field}.time`) ?? Date.now(),
    labels,
    type: (o.type as string | undefined) ?? 'info',
    reason: (o.reason as string | undefined) ?? '',
    message: o.message,
    count: (o.count as number | undefined) ?? 1,
    ...(o.fingerprint ? { fingerprint: o.fingerprint as string } : {}),
    ...(o.attributes ? { attributes: o.attributes as Record<string, unknown> } : {}),
  };
}

/**
 * Events body: one event, an array, `{"events": [...]}`, or Kubernetes Event objects
 * (single, array, or a `v1 EventList` with `items`). Validated whole before storing.
 */
export function decodeEvents(doc: unknown, opts: { cluster?: string } = {}): EventInput[] {
  let list: unknown[];
  let base = 'body';
  if (Array.isArray(doc)) list = doc;
  else if (doc && typeof doc === 'object' && Array.isArray((doc as { events?: unknown }).events)) {
    list = (doc as { events: unknown[] }).events;
    base = 'body.events';
  } else if (doc && typeof doc === 'object' && Array.isArray((doc as { items?: unknown }).items) && (doc as { kind?: unknown }).kind === 'EventList') {
    list = (doc as { items: unknown[] }).items;
    base = 'body.items';
  } else list = [doc];
  if (list.length === 0) throw new InputError('no events in body', { field: base }, `${AREA}_SHAPE`);
  return list.map((o, i) => {
    const f = Array.isArray(doc) || base !== 'body' ? `${base}[${i}]` : base;
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new InputError('event must be an object', { field: f }, `${AREA}_SHAPE`);
    const rec = o as Record<string, unknown>;
    return isKubeEvent(rec) ? fromKube(rec, f, opts.cluster) : fromNative(rec, f);
  });
}
