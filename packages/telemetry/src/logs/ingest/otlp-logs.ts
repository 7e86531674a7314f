import { InputError, PlatformError } from '@sreworks/kernel';
import type { Labels, LogEntry, LogStreamInput } from '../types.js';
import { checkLine, decodeBody, longToBigInt, mediaType, parseJsonBody, type IngestLimits, DEFAULT_INGEST_LIMITS } from './body.js';
import { protoRoots } from './protos.js';

const AREA = 'OTLP_LOGS';

/**
 * Resource attributes Loki promotes to index labels by default (its `default_resource_attributes_as_index_labels`);
 * every other attribute becomes structured metadata, so the index stays small.
 */
export const OTLP_INDEX_LABEL_ATTRIBUTES: readonly string[] = [
  'service.name',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'container.name',
  'k8s.replicaset.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
];

/** OTLP severity number ranges → the level names Loki's `detected_level` uses. */
function levelOf(num: number, text: string): string {
  if (text) return text.toLowerCase();
  if (num >= 21) return 'fatal';
  if (num >= 17) return 'error';
  if (num >= 13) return 'warn';
  if (num >= 9) return 'info';
  if (num >= 5) return 'debug';
  if (num >= 1) return 'trace';
  return '';
}

/** "service.name" → "service_name", as Loki normalises attribute names into label names. */
export function otlpLabelName(key: string): string {
  const s = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

interface KV {
  key: string;
  value?: AnyV;
}
interface AnyV {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: unknown;
  doubleValue?: number;
  arrayValue?: { values?: AnyV[] };
  kvlistValue?: { values?: KV[] };
  bytesValue?: unknown;
}

function anyToJson(v: AnyV | undefined): unknown {
  if (!v) return null;
  // Oneof members that are unset read as null on protobuf messages and undefined in JSON.
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return v.boolValue;
  if (v.intValue != null) return longToBigInt(v.intValue).toString();
  if (v.doubleValue != null) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyToJson);
  if (v.kvlistValue) return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, anyToJson(kv.value)]));
  if (v.bytesValue != null) return typeof v.bytesValue === 'string' ? v.bytesValue : Buffer.from(v.bytesValue as number[]).toString('base64');
  return null;
}

function anyToString(v: AnyV | undefined): string {
  const j = anyToJson(v);
  if (j === null) return '';
  return typeof j === 'string' ? j : JSON.stringify(j);
}

function hexId(v: unknown): string {
  if (!v) return '';
  if (typeof v === 'string') return v.toLowerCase();
  return Buffer.from(v as number[]).toString('hex');
}

interface Req {
  resourceLogs?: {
    resource?: { attributes?: KV[] };
    scopeLogs?: {
      scope?: { name?: string; version?: string; attributes?: KV[] };
      logRecords?: {
        timeUnixNano?: unknown;
        observedTimeUnixNano?: unknown;
        severityNumber?: number;
        severityText?: string;
        body?: AnyV;
        attributes?: KV[];
        traceId?: unknown;
        spanId?: unknown;
      }[];
    }[];
  }[];
}

/** Decode OTLP/HTTP logs (JSON or protobuf) into streams keyed by the promoted resource labels. */
export function decodeOtlpLogs(
  body: Buffer,
  headers: { contentType?: string; contentEncoding?: string },
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
  now: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
): LogStreamInput[] {
  const type = mediaType(headers.contentType);
  const buf = decodeBody(body, headers.contentEncoding, limits, AREA);
  let req: Req;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') {
    try {
      const T = protoRoots().otlp.lookupType('opentelemetry.proto.ExportLogsServiceRequest');
      // toObject without defaults: only the set member of each AnyValue oneof survives
      // (decoded messages carry proto3 defaults such as stringValue "" on every member).
      req = T.toObject(T.decode(buf), { longs: String, bytes: Array, defaults: false }) as Req;
    } catch (e) {
      throw new InputError(`body is not a valid ExportLogsServiceRequest: ${(e as Error).message}`, { field: 'body' }, `${AREA}_PROTOBUF`, e);
    }
  } else if (type === 'application/json') {
    const doc = parseJsonBody(buf, AREA);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('body must be an ExportLogsServiceRequest object', { field: 'body' }, `${AREA}_SHAPE`);
    req = doc as Req;
    if (req.resourceLogs !== undefined && !Array.isArray(req.resourceLogs)) throw new InputError('resourceLogs must be an array', { field: 'body.resourceLogs' }, `${AREA}_SHAPE`);
  } else {
    throw new PlatformError(`${AREA}_CONTENT_TYPE`, 415, `unsupported Content-Type "${headers.contentType}" (application/json or application/x-protobuf)`, { field: 'headers.content-type' });
  }
  const streams = new Map<string, LogStreamInput>();
  (req.resourceLogs ?? []).forEach((rl, i) => {
    const labels: Labels = {};
    const resourceMeta: Labels = {};
    for (const kv of rl.resource?.attributes ?? []) {
      if (kv?.key === '') continue;
      if (typeof kv?.key !== 'string') throw new InputError('attribute key must be a string', { field: `body.resourceLogs[${i}].resource.attributes` }, `${AREA}_SHAPE`);
      const v = anyToString(kv.value);
      if (OTLP_INDEX_LABEL_ATTRIBUTES.includes(kv.key)) {
        if (v !== '') labels[otlpLabelName(kv.key)] = v;
      } else resourceMeta[otlpLabelName(kv.key)] = v;
    }
    if (!labels.service_name) labels.service_name = 'unknown_service';
    const key = JSON.stringify(Object.entries(labels).sort());
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { labels, entries: [] }));
    (rl.scopeLogs ?? []).forEach((sl, j) => {
      const scopeMeta: Labels = {};
      if (sl.scope?.name) scopeMeta.scope_name = sl.scope.name;
      if (sl.scope?.version) scopeMeta.scope_version = sl.scope.version;
      for (const kv of sl.scope?.attributes ?? []) if (kv?.key) scopeMeta[otlpLabelName(kv.key)] = anyToString(kv.value);
      (sl.logRecords ?? []).forEach((lr, k) => {
        const f = `body.resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`;
        let ts: bigint;
        try {
          ts = longToBigInt(lr.timeUnixNano);
          if (ts === 0n) ts = longToBigInt(lr.observedTimeUnixNano);
        } catch {
          throw new InputError('timeUnixNano must be an integer (or a decimal string) of nanoseconds', { field: `${f}.timeUnixNano` }, `${AREA}_TIMESTAMP`);
        }
        if (ts === 0n) ts = now();
        const line = anyToString(lr.body);
        checkLine(line, `${f}.body`, limits, AREA);
        const meta: Labels = { ...resourceMeta, ...scopeMeta };
        for (const kv of lr.attributes ?? []) if (kv?.key) meta[otlpLabelName(kv.key)] = anyToString(kv.value);
        const sevNum = Number(lr.severityNumber ?? 0);
        const sevText = lr.severityText ?? '';
        if (sevText) meta.severity_text = sevText;
        if (sevNum) meta.severity_number = String(sevNum);
        const level = levelOf(sevNum, sevText);
        if (level) meta.detected_level = level;
        const traceId = hexId(lr.traceId);
        const spanId = hexId(lr.spanId);
        if (traceId) meta.trace_id = traceId;
        if (spanId) meta.span_id = spanId;
        const entry: LogEntry = { ts, line };
        if (Object.keys(meta).length > 0) entry.metadata = meta;
        stream.entries.push(entry);
      });
    });
  });
  return [...streams.values()].filter((s) => s.entries.length > 0);
}

/** The protobuf/JSON body of a successful export (empty ExportLogsServiceResponse). */
export function otlpSuccessBody(protobuf: boolean): Buffer | Record<string, never> {
  if (!protobuf) return {};
  const T = protoRoots().otlp.lookupType('opentelemetry.proto.ExportLogsServiceResponse');
  return Buffer.from(T.encode(T.create({})).finish());
}
