import { InputError, PlatformError } from '@sreworks/kernel';
import { validateLabels } from '../labels.js';
import { parseSelector } from '../logql/parser.js';
import type { Labels, LogEntry, LogStreamInput } from '../types.js';
import { checkLine, decodeBody, longToBigInt, mediaType, parseJsonBody, type IngestLimits, DEFAULT_INGEST_LIMITS } from './body.js';
import { protoRoots } from './protos.js';

const AREA = 'LOKI_PUSH';

/** Labels Loki 3 reads, in order, to fill in `service_name` (its discover_service_name default). */
export const SERVICE_NAME_SOURCES: readonly string[] = [
  'service',
  'app',
  'application',
  'name',
  'app_kubernetes_io_name',
  'container',
  'container_name',
  'k8s_container_name',
  'component',
  'workload',
  'job',
  'k8s_job_name',
];

/** Add `service_name` to streams that lack it, as Loki 3 does (`unknown_service` when nothing fits). */
export function discoverServiceName(streams: LogStreamInput[]): LogStreamInput[] {
  for (const s of streams) {
    if (s.labels.service_name !== undefined) continue;
    const from = SERVICE_NAME_SOURCES.find((k) => s.labels[k]);
    s.labels = { ...s.labels, service_name: from ? s.labels[from]! : 'unknown_service' };
  }
  return streams;
}

/**
 * Decode a Loki push body: JSON (`{"streams":[{"stream":{…},"values":[["<ns>","line",{meta}]]}]}`,
 * optionally gzip) or snappy-compressed protobuf `logproto.PushRequest`. The whole request is
 * validated before anything is stored: one bad entry rejects the request with its field path.
 */
export function decodeLokiPush(
  body: Buffer,
  headers: { contentType?: string; contentEncoding?: string },
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): LogStreamInput[] {
  const type = mediaType(headers.contentType);
  if (type === 'application/x-protobuf') {
    // Loki's protobuf push is always snappy block-compressed, whatever Content-Encoding says.
    const enc = headers.contentEncoding && headers.contentEncoding.toLowerCase() !== 'snappy' ? headers.contentEncoding : 'snappy';
    return decodeProto(decodeBody(body, enc, limits, AREA), limits);
  }
  if (type === 'application/json' || type === '') {
    return decodeJson(parseJsonBody(decodeBody(body, headers.contentEncoding, limits, AREA), AREA), limits);
  }
  throw new PlatformError(`${AREA}_CONTENT_TYPE`, 415, `unsupported Content-Type "${headers.contentType}" (application/json or application/x-protobuf)`, { field: 'headers.content-type' });
}

function nsFromString(v: unknown, field: string): bigint {
  if (typeof v === 'string' && /^\d{1,19}$/.test(v)) return BigInt(v);
  throw new InputError('timestamp must be a string of nanoseconds since the epoch', { field }, `${AREA}_TIMESTAMP`);
}

function decodeJson(doc: unknown, limits: IngestLimits): LogStreamInput[] {
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { streams?: unknown }).streams)) {
    throw new InputError('body must be {"streams": [...]}', { field: 'body.streams' }, `${AREA}_SHAPE`);
  }
  const out: LogStreamInput[] = [];
  (doc as { streams: unknown[] }).streams.forEach((s, i) => {
    const f = `body.streams[${i}]`;
    if (!s || typeof s !== 'object') throw new InputError('stream must be an object', { field: f }, `${AREA}_SHAPE`);
    const { stream, values } = s as { stream?: unknown; values?: unknown };
    if (!stream || typeof stream !== 'object' || Array.isArray(stream)) throw new InputError('stream labels must be an object', { field: `${f}.stream` }, `${AREA}_SHAPE`);
    const labels = stream as Labels;
    validateLabels(labels, `${f}.stream`);
    if (!Array.isArray(values)) throw new InputError('values must be an array of [ts, line]', { field: `${f}.values` }, `${AREA}_SHAPE`);
    const entries: LogEntry[] = values.map((v, j) => {
      const vf = `${f}.values[${j}]`;
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) throw new InputError('each value must be ["<ns>", "<line>"] or ["<ns>", "<line>", {metadata}]', { field: vf }, `${AREA}_SHAPE`);
      const ts = nsFromString(v[0], `${vf}[0]`);
      if (typeof v[1] !== 'string') throw new InputError('line must be a string', { field: `${vf}[1]` }, `${AREA}_SHAPE`);
      checkLine(v[1], `${vf}[1]`, limits, AREA);
      const e: LogEntry = { ts, line: v[1] };
      if (v.length === 3) {
        const meta = v[2] as unknown;
        if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new InputError('structured metadata must be an object of strings', { field: `${vf}[2]` }, `${AREA}_SHAPE`);
        for (const [k, mv] of Object.entries(meta)) {
          if (typeof mv !== 'string') throw new InputError('structured metadata values must be strings', { field: `${vf}[2].${k}` }, `${AREA}_SHAPE`);
        }
        if (Object.keys(meta).length > 0) {
          validateLabels(meta as Labels, `${vf}[2]`);
          e.metadata = meta as Labels;
        }
      }
      return e;
    });
    out.push({ labels: { ...labels }, entries });
  });
  return out;
}

interface ProtoReq {
  streams?: { labels?: string; entries?: { timestamp?: { seconds?: unknown; nanos?: number }; line?: string; structuredMetadata?: { name: string; value: string }[] }[] }[];
}

function decodeProto(buf: Buffer, limits: IngestLimits): LogStreamInput[] {
  let req: ProtoReq;
  try {
    req = protoRoots().loki.lookupType('logproto.PushRequest').decode(buf) as unknown as ProtoReq;
  } catch (e) {
    throw new InputError(`body is not a valid logproto.PushRequest: ${(e as Error).message}`, { field: 'body' }, `${AREA}_PROTOBUF`, e);
  }
  return (req.streams ?? []).map((s, i) => {
    const f = `body.streams[${i}]`;
    let labels: Labels;
    try {
      const matchers = parseSelector(s.labels ?? '');
      if (matchers.some((m) => m.op !== '=')) throw new Error('labels must use "=" only');
      labels = Object.fromEntries(matchers.map((m) => [m.name, m.value]));
    } catch (e) {
      throw new InputError(`stream labels ${JSON.stringify(s.labels ?? '')} are not a valid label set: ${(e as Error).message}`, { field: `${f}.labels` }, 'LOGS_LABELS_PARSE', e);
    }
    validateLabels(labels, `${f}.labels`);
    const entries = (s.entries ?? []).map((e, j): LogEntry => {
      const ef = `${f}.entries[${j}]`;
      const line = e.line ?? '';
      checkLine(line, `${ef}.line`, limits, AREA);
      const ts = longToBigInt(e.timestamp?.seconds) * 1_000_000_000n + BigInt(e.timestamp?.nanos ?? 0);
      if (ts <= 0n) throw new InputError('entry has no timestamp', { field: `${ef}.timestamp` }, `${AREA}_TIMESTAMP`);
      const entry: LogEntry = { ts, line };
      if (e.structuredMetadata && e.structuredMetadata.length > 0) {
        const meta: Labels = {};
        for (const p of e.structuredMetadata) meta[p.name] = p.value;
        validateLabels(meta, `${ef}.structuredMetadata`);
        entry.metadata = meta;
      }
      return entry;
    });
    return { labels, entries };
  });
}
