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
import { SeriesBuilder, type MetricMetadata, type MetricType, type SeriesSamples } from '../types.js';

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

/** Decodes an uncompressed WriteRequest. Labels are returned as sent; validation is the ingestor's. */
export function decodeWriteRequest(buf: Uint8Array): WriteRequest {
  const r = new PbReader(buf, 0, buf.length, 'body');
  const series: SeriesSamples[] = [];
  const metadata: MetricMetadata[] = [];
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) series.push(decodeTimeSeries(r.sub(`body.timeseries[${series.length}]`)));
    else if (f === 3 && w === 2) metadata.push(decodeMetadata(r.sub('body.metadata')));
    else r.skip(w);
  }
  return { series, metadata };
}

function decodeTimeSeries(r: PbReader): SeriesSamples {
  const labels: Labels = {};
  let b: SeriesBuilder | undefined;
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) {
      const l = r.sub();
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
    } else if (f === 2 && w === 2) {
      const s = r.sub();
      let v = 0;
      let t = 0;
      while (s.more()) {
        const [sf, sw] = s.tag();
        if (sf === 1 && sw === 1) v = s.double();
        else if (sf === 2 && sw === 0) t = s.int64();
        else s.skip(sw);
      }
      (b ??= new SeriesBuilder(labels)).push(t, v);
    } else r.skip(w);
  }
  return b ? { labels, timestamps: b.timestamps, values: b.values } : { labels, timestamps: [], values: [] };
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
