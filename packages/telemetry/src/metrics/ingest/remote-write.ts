// Prometheus remote_write 1.0: snappy (block format) + protobuf prometheus.WriteRequest.
//   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }
//   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
import snappy from 'snappy';
import { InputError } from '@sreworks/kernel';
import type { Labels } from '@sreworks/promql';
import { PbReader, PbWriter } from './protobuf.js';
import type { MetricMetadata, MetricType, SeriesSamples } from '../types.js';

export interface WriteRequest {
  series: SeriesSamples[];
  metadata: MetricMetadata[];
}

const META_TYPES: MetricType[] = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

export function snappyDecode(body: Uint8Array, field = 'body'): Buffer {
  try {
    return snappy.uncompressSync(Buffer.from(body.buffer, body.byteOffset, body.byteLength), { asBuffer: true }) as Buffer;
  } catch (e) {
    throw new InputError('body is not valid snappy (block format) data', { field }, 'TELEMETRY_SNAPPY_INVALID', e);
  }
}

export function snappyEncode(data: Uint8Array): Buffer {
  return snappy.compressSync(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * Decodes an uncompressed WriteRequest. Labels are returned as sent; validation is the
 * ingestor's. With a cache, a series whose label bytes were seen before gets the same (frozen)
 * labels object back without decoding a string: senders repeat the same series every request.
 *
 * Written for this one message (the ingestion hot path): one pass over the bytes with inline
 * varints, no reader object or tuple per field, and the samples of all series in two shared
 * Float64Arrays of which each series gets a view.
 */
export function decodeWriteRequest(buf: Uint8Array, cache?: LabelCache): WriteRequest {
  const series: SeriesSamples[] = [];
  const metadata: MetricMetadata[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const end = buf.length;
  // a usual sample takes 13 bytes on the wire; the arrays grow when a body holds smaller ones
  let ts = new Float64Array(Math.ceil(end / 12) + 16);
  let vs = new Float64Array(ts.length);
  let n = 0;
  let pos = 0;
  const fail = (what: string, field: string): never => {
    throw new InputError(`protobuf is truncated or corrupt (${what} at byte ${pos})`, { field }, 'TELEMETRY_PROTOBUF_INVALID');
  };
  while (pos < end) {
    const tagPos = pos;
    let tag = buf[pos++]!;
    if (tag >= 0x80) {
      pos = tagPos;
      tag = readVarint(buf, tagPos, end) ?? fail('varint', 'body');
      pos = varintEnd;
    }
    const wire = tag & 7;
    if (wire !== 2) {
      pos = skipField(buf, pos, end, wire) ?? fail(`wire type ${wire}`, 'body');
      continue;
    }
    let len = buf[pos++]!;
    if (len >= 0x80 || pos > end) {
      const lp = pos - 1;
      len = readVarint(buf, lp, end) ?? fail('varint', 'body');
      pos = varintEnd;
    }
    const mEnd = pos + len;
    if (mEnd > end) fail('length-delimited field', 'body');
    const field = tag >>> 3;
    if (field === 3) {
      metadata.push(decodeMetadata(new PbReader(buf, pos, mEnd, 'body.metadata', view)));
      pos = mEnd;
      continue;
    }
    if (field !== 1) {
      pos = mEnd;
      continue;
    }
    // TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
    const first = n;
    let labelStart = -1;
    let labelEnd = -1;
    let contiguous = true;
    while (pos < mEnd) {
      const fStart = pos;
      const t = buf[pos++]!;
      if (t === 0x12 || t === 0x0a) {
        let l = buf[pos++]!;
        if (l >= 0x80 || pos > mEnd) {
          l = readVarint(buf, pos - 1, mEnd) ?? fail('varint', tsField(series.length));
          pos = varintEnd;
        }
        const e = pos + l;
        if (e > mEnd) fail('length-delimited field', tsField(series.length));
        if (t === 0x0a) {
          if (labelStart < 0) labelStart = fStart;
          else if (labelEnd !== fStart) contiguous = false;
          labelEnd = e;
          pos = e;
          continue;
        }
        // Sample { double value = 1; int64 timestamp = 2; }
        if (n === ts.length) {
          const nt = new Float64Array(ts.length * 2);
          const nv = new Float64Array(ts.length * 2);
          nt.set(ts);
          nv.set(vs);
          ts = nt;
          vs = nv;
        }
        let v = 0;
        let tv = 0;
        if (e - pos >= 11 && buf[pos] === 0x09 && buf[pos + 9] === 0x10) {
          // the usual encoding: value (tag 0x09, 8 bytes) then timestamp (tag 0x10, varint)
          v = view.getFloat64(pos + 1, true);
          let p = pos + 10;
          let mul = 1;
          let b = 0;
          do {
            if (p >= e) fail('varint', tsField(series.length));
            b = buf[p++]!;
            tv += (b & 0x7f) * mul;
            mul *= 128;
          } while (b >= 0x80 && p - pos < 20);
          if (b >= 0x80) fail('varint too long', tsField(series.length));
          if (p !== e || p - pos - 10 === 10 || tv >= 2 ** 63) {
            const r = sampleSlow(new PbReader(buf, pos, e, tsField(series.length), view));
            v = r[0];
            tv = r[1];
          }
        } else {
          const r = sampleSlow(new PbReader(buf, pos, e, tsField(series.length), view));
          v = r[0];
          tv = r[1];
        }
        // stored through the typed array: a stale-marker NaN keeps its payload
        vs[n] = v;
        ts[n] = tv;
        n++;
        pos = e;
        continue;
      }
      // any other field of TimeSeries: skipped
      pos = fStart;
      const r = new PbReader(buf, pos, mEnd, tsField(series.length), view);
      const [, w] = r.tag();
      r.skip(w);
      pos = r.pos;
    }
    let labels: Labels;
    if (labelStart < 0) labels = {};
    else if (cache && contiguous) {
      const k = Buffer.from(buf.buffer, buf.byteOffset + labelStart, labelEnd - labelStart).toString('latin1');
      let hit = cache.get(k);
      if (!hit) {
        hit = Object.freeze(decodeLabels(new PbReader(buf, 0, end, tsField(series.length), view), labelStart, labelEnd));
        cache.set(k, hit);
      }
      labels = hit;
    } else labels = decodeLabels(new PbReader(buf, 0, end, tsField(series.length), view), labelStart, labelEnd);
    series.push({ labels, timestamps: ts.subarray(first, n), values: vs.subarray(first, n) });
    pos = mEnd;
  }
  return { series, metadata };
}

const tsField = (i: number) => `body.timeseries[${i}]`;

/** a varint at p (any length up to 10 bytes); undefined when truncated. */
/** where the last readVarint ended (a module variable: no callback allocated per call). */
let varintEnd = 0;

function readVarint(buf: Uint8Array, p: number, end: number): number | undefined {
  let r = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return undefined;
    const b = buf[p++]!;
    r += (b & 0x7f) * mul;
    if (b < 0x80) {
      varintEnd = p;
      return r;
    }
    mul *= 128;
  }
  return undefined;
}

function skipField(buf: Uint8Array, p: number, end: number, wire: number): number | undefined {
  const r = new PbReader(buf, p, end);
  try {
    r.skip(wire);
  } catch {
    return undefined;
  }
  return r.pos;
}

/** raw label bytes (latin1) → labels, bounded. */
export class LabelCache {
  private readonly map = new Map<string, Labels>();
  constructor(private readonly max = 200_000) {}
  get(k: string): Labels | undefined {
    return this.map.get(k);
  }
  set(k: string, v: Labels): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(k, v);
  }
}

function decodeLabels(r: PbReader, start: number, end: number): Labels {
  const labels: Labels = {};
  const lr = new PbReader(r.buf, start, end, r.field);
  while (lr.more()) {
    const [f, w] = lr.tag();
    if (f !== 1 || w !== 2) {
      lr.skip(w);
      continue;
    }
    const l = lr.sub();
    let name = '';
    let value = '';
    while (l.more()) {
      const [lf, lw] = l.tag();
      if (lf === 1 && lw === 2) name = l.string();
      else if (lf === 2 && lw === 2) value = l.string();
      else l.skip(lw);
    }
    if (name in labels) throw new InputError(`duplicate label ${JSON.stringify(name)} in one series`, { field: `${r.field}.labels` }, 'TELEMETRY_LABEL_DUPLICATE');
    labels[name] = value;
  }
  return labels;
}

function sampleSlow(s: PbReader): [number, number] {
  let v = 0;
  let t = 0;
  while (s.more()) {
    const [sf, sw] = s.tag();
    if (sf === 1 && sw === 1) v = s.double();
    else if (sf === 2 && sw === 0) t = s.int64();
    else s.skip(sw);
  }
  return [v, t];
}

function decodeMetadata(r: PbReader): MetricMetadata {
  const m: MetricMetadata = { metric: '', type: 'unknown', help: '', unit: '' };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 0) m.type = META_TYPES[r.varint()] ?? 'unknown';
    else if (f === 2 && w === 2) m.metric = r.string();
    else if (f === 4 && w === 2) m.help = r.string();
    else if (f === 5 && w === 2) m.unit = r.string();
    else r.skip(w);
  }
  return m;
}

/** Encodes a WriteRequest (used by tests, the bench load generator and anyone forwarding). */
export function encodeWriteRequest(series: SeriesSamples[], metadata: MetricMetadata[] = []): Buffer {
  const w = new PbWriter();
  for (const s of series) {
    w.message(1, (ts) => {
      for (const k of Object.keys(s.labels).sort()) ts.message(1, (l) => l.string(1, k).string(2, s.labels[k]!));
      for (let i = 0; i < s.timestamps.length; i++) ts.message(2, (smp) => smp.double(1, s.values[i]!).int64(2, s.timestamps[i]!));
    });
  }
  for (const m of metadata) {
    w.message(3, (mm) => mm.tag(1, 0).varint(Math.max(0, META_TYPES.indexOf(m.type))).string(2, m.metric).string(4, m.help).string(5, m.unit));
  }
  return w.finish();
}
