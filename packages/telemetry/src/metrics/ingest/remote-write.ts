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
 */
export function decodeWriteRequest(buf: Uint8Array, cache?: LabelCache): WriteRequest {
  const r = new PbReader(buf, 0, buf.length, 'body');
  const series: SeriesSamples[] = [];
  const metadata: MetricMetadata[] = [];
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) series.push(decodeTimeSeries(r.sub(`body.timeseries[${series.length}]`), cache));
    else if (f === 3 && w === 2) metadata.push(decodeMetadata(r.sub('body.metadata')));
    else r.skip(w);
  }
  return { series, metadata };
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

function decodeTimeSeries(r: PbReader, cache?: LabelCache): SeriesSamples {
  let labelStart = -1;
  let labelEnd = -1;
  let contiguous = true;
  const timestamps: number[] = [];
  let values = new Float64Array(8);
  while (r.more()) {
    const fieldStart = r.pos;
    const [f, w] = r.tag();
    if (f === 1 && w === 2) {
      r.bytes();
      if (labelStart < 0) labelStart = fieldStart;
      else if (labelEnd !== fieldStart) contiguous = false;
      labelEnd = r.pos;
    } else if (f === 2 && w === 2) {
      // Sample { double value = 1; int64 timestamp = 2; } walked inline: no reader per sample
      const [s, e] = r.bytes();
      let v = 0;
      let t = 0;
      let fast = false;
      if (e - s >= 11 && r.buf[s] === 0x09 && r.buf[s + 9] === 0x10) {
        // the usual encoding: value (tag 0x09, 8 bytes) then timestamp (tag 0x10, varint)
        v = r.doubleAt(s + 1);
        r.pos = s + 10;
        t = r.int64();
        fast = r.pos === e;
        r.pos = e;
      }
      if (!fast) [v, t] = sampleSlow(new PbReader(r.buf, s, e, r.field));
      if (timestamps.length === values.length) {
        const nv = new Float64Array(values.length * 2);
        nv.set(values);
        values = nv;
      }
      values[timestamps.length] = v;
      timestamps.push(t);
    } else r.skip(w);
  }
  let labels: Labels;
  if (labelStart < 0) labels = {};
  else if (cache && contiguous) {
    const k = Buffer.from(r.buf.buffer, r.buf.byteOffset + labelStart, labelEnd - labelStart).toString('latin1');
    let hit = cache.get(k);
    if (!hit) {
      hit = Object.freeze(decodeLabels(r, labelStart, labelEnd));
      cache.set(k, hit);
    }
    labels = hit;
  } else labels = decodeLabels(r, labelStart, labelEnd);
  return { labels, timestamps, values: values.subarray(0, timestamps.length) };
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
