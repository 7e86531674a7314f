import { InputError } from '@sreworks/kernel';
import type { Labels, LogStreamInput } from '../types.js';
import { checkLine, decodeBody, type IngestLimits, DEFAULT_INGEST_LIMITS } from './body.js';
import { otlpLabelName } from './otlp-logs.js';

const AREA = 'ES_BULK';

export interface BulkItemResult {
  [action: string]: { _index: string; _id: string; status: number; result?: string; error?: { type: string; reason: string } };
}

export interface DecodedBulk {
  streams: LogStreamInput[];
  items: BulkItemResult[];
  errors: boolean;
}

function get(doc: Record<string, unknown>, path: string): unknown {
  if (path in doc) return doc[path];
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** @timestamp as ISO-8601 (Beats) or epoch millis; missing → now. */
function tsOf(doc: Record<string, unknown>, now: bigint, field: string): bigint {
  const v = get(doc, '@timestamp') ?? get(doc, 'timestamp');
  if (v === undefined) return now;
  if (typeof v === 'number') return BigInt(Math.round(v * 1e6));
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) {
      // Keep sub-millisecond digits Beats send (e.g. .123456789Z).
      const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
      const extraNs = frac.length > 3 ? BigInt(frac.slice(3, 9).padEnd(6, '0')) : 0n;
      return BigInt(ms) * 1_000_000n + extraNs;
    }
  }
  throw new InputError('@timestamp must be an ISO-8601 date or epoch milliseconds', { field }, `${AREA}_TIMESTAMP`);
}

/**
 * A minimal Elasticsearch `_bulk` for log shippers (Filebeat, Fluent Bit, Vector, rsyslog): NDJSON
 * action/source pairs; `index` and `create` become log lines (the `message` field, or the whole
 * document), a few well-known fields become labels, the rest of the document structured metadata.
 * `update`/`delete` are refused per item, as a data stream would.
 */
export function decodeEsBulk(body: Buffer, encoding: string | undefined, defaultIndex: string | undefined, limits: IngestLimits = DEFAULT_INGEST_LIMITS, now = BigInt(Date.now()) * 1_000_000n): DecodedBulk {
  const text = decodeBody(body, encoding, limits, AREA).toString('utf8');
  const lines = text.split('\n');
  const streams = new Map<string, LogStreamInput>();
  const items: BulkItemResult[] = [];
  let errors = false;
  let seq = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let action: Record<string, Record<string, unknown>>;
    try {
      action = JSON.parse(raw) as Record<string, Record<string, unknown>>;
    } catch (e) {
      throw new InputError(`line ${i + 1}: malformed action/metadata line, expected JSON`, { field: `body[${i}]` }, `${AREA}_ACTION`, e);
    }
    const kind = action && typeof action === 'object' ? Object.keys(action)[0] : undefined;
    if (!kind || !['index', 'create', 'update', 'delete'].includes(kind)) {
      throw new InputError(`line ${i + 1}: unknown bulk action ${JSON.stringify(kind)} (index, create, update, delete)`, { field: `body[${i}]` }, `${AREA}_ACTION`);
    }
    const meta = action[kind] ?? {};
    const index = str(meta._index) ?? defaultIndex ?? 'default';
    const id = str(meta._id) ?? `${Date.now()}-${seq++}`;
    if (kind === 'delete') {
      items.push({ delete: { _index: index, _id: id, status: 400, error: { type: 'illegal_argument_exception', reason: 'this endpoint only appends log documents' } } });
      errors = true;
      continue;
    }
    const srcLine = lines[++i];
    if (srcLine === undefined || srcLine.trim() === '') {
      throw new InputError(`line ${i + 1}: the ${kind} action needs a source line after it`, { field: `body[${i}]` }, `${AREA}_ACTION`);
    }
    if (kind === 'update') {
      items.push({ update: { _index: index, _id: id, status: 400, error: { type: 'illegal_argument_exception', reason: 'this endpoint only appends log documents' } } });
      errors = true;
      continue;
    }
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(srcLine) as Record<string, unknown>;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
    } catch (e) {
      items.push({ [kind]: { _index: index, _id: id, status: 400, error: { type: 'mapper_parsing_exception', reason: `failed to parse source: ${(e as Error).message}` } } });
      errors = true;
      continue;
    }
    const field = `body[${i}]`;
    const ts = tsOf(doc, now, field);
    const message = str(get(doc, 'message')) ?? str(get(doc, 'log'));
    const line = message ?? JSON.stringify(doc);
    checkLine(line, field, limits, AREA);
    const labels: Labels = { index: index.replace(/[^\x20-\x7e]/g, '_') };
    const host = str(get(doc, 'host.name')) ?? str(get(doc, 'host.hostname')) ?? (typeof doc.host === 'string' ? doc.host : undefined);
    if (host) labels.host = host;
    const service = str(get(doc, 'service.name'));
    if (service) labels.service_name = service;
    const metadata: Labels = {};
    const level = str(get(doc, 'log.level')) ?? str(get(doc, 'level'));
    if (level) metadata.detected_level = level.toLowerCase();
    const file = str(get(doc, 'log.file.path'));
    if (file) metadata.filename = file;
    if (message !== undefined) {
      // Keep the remaining flat scalar fields as metadata so `| json` is not needed for them.
      for (const [k, v] of Object.entries(doc)) {
        if (k === 'message' || k === '@timestamp' || k === 'log') continue;
        const s = str(v);
        if (s !== undefined) metadata[otlpLabelName(k)] = s;
      }
    }
    const key = JSON.stringify(Object.entries(labels).sort());
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { labels, entries: [] }));
    stream.entries.push(Object.keys(metadata).length > 0 ? { ts, line, metadata } : { ts, line });
    items.push({ [kind]: { _index: index, _id: id, status: 201, result: 'created' } });
  }
  return { streams: [...streams.values()], items, errors };
}
