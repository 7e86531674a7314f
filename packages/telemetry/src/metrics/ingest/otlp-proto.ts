// OTLP metrics protobuf (opentelemetry/proto/collector/metrics/v1 ExportMetricsServiceRequest)
// decoded into the OTLP/JSON object shape, so one translator serves both encodings.
import { PbReader } from './protobuf.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpMetric, OtlpMetricsRequest, OtlpNumberPoint, OtlpHistogramPoint, OtlpSummaryPoint } from './otlp-types.js';

export function decodeOtlpMetrics(buf: Uint8Array): OtlpMetricsRequest {
  const r = new PbReader(buf, 0, buf.length, 'body');
  const out: OtlpMetricsRequest = { resourceMetrics: [] };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) out.resourceMetrics!.push(resourceMetrics(r.sub(`body.resourceMetrics[${out.resourceMetrics!.length}]`)));
    else r.skip(w);
  }
  return out;
}

function resourceMetrics(r: PbReader) {
  const rm: NonNullable<OtlpMetricsRequest['resourceMetrics']>[number] = { resource: { attributes: [] }, scopeMetrics: [] };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) {
      const res = r.sub();
      while (res.more()) {
        const [rf, rw] = res.tag();
        if (rf === 1 && rw === 2) rm.resource!.attributes!.push(keyValue(res.sub()));
        else res.skip(rw);
      }
    } else if (f === 2 && w === 2) rm.scopeMetrics!.push(scopeMetrics(r.sub()));
    else r.skip(w);
  }
  return rm;
}

function scopeMetrics(r: PbReader) {
  const sm: { scope?: { name?: string; version?: string }; metrics: OtlpMetric[] } = { scope: {}, metrics: [] };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) {
      const s = r.sub();
      while (s.more()) {
        const [sf, sw] = s.tag();
        if (sf === 1 && sw === 2) sm.scope!.name = s.string();
        else if (sf === 2 && sw === 2) sm.scope!.version = s.string();
        else s.skip(sw);
      }
    } else if (f === 2 && w === 2) sm.metrics.push(metric(r.sub()));
    else r.skip(w);
  }
  return sm;
}

function metric(r: PbReader): OtlpMetric {
  const m: OtlpMetric = { name: '' };
  while (r.more()) {
    const [f, w] = r.tag();
    switch (f) {
      case 1:
        m.name = r.string();
        break;
      case 2:
        m.description = r.string();
        break;
      case 3:
        m.unit = r.string();
        break;
      case 5:
        m.gauge = { dataPoints: pointsOf(r.sub(), numberPoint).points };
        break;
      case 7: {
        const p = pointsOf(r.sub(), numberPoint);
        m.sum = { dataPoints: p.points, aggregationTemporality: p.temporality, isMonotonic: p.monotonic };
        break;
      }
      case 9: {
        const p = pointsOf(r.sub(), histogramPoint);
        m.histogram = { dataPoints: p.points, aggregationTemporality: p.temporality };
        break;
      }
      case 10:
        r.skip(w);
        m.exponentialHistogram = { dataPoints: [{}] };
        break;
      case 11:
        m.summary = { dataPoints: pointsOf(r.sub(), summaryPoint).points };
        break;
      default:
        r.skip(w);
    }
  }
  return m;
}

/** Gauge/Sum/Histogram/Summary share field 1 = data points, 2 = temporality, 3 = monotonic. */
function pointsOf<T>(r: PbReader, decode: (r: PbReader) => T) {
  const points: T[] = [];
  let temporality = 0;
  let monotonic = false;
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) points.push(decode(r.sub()));
    else if (f === 2 && w === 0) temporality = r.varint();
    else if (f === 3 && w === 0) monotonic = r.varint() !== 0;
    else r.skip(w);
  }
  return { points, temporality, monotonic };
}

function numberPoint(r: PbReader): OtlpNumberPoint {
  const p: OtlpNumberPoint = { attributes: [] };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 7 && w === 2) p.attributes!.push(keyValue(r.sub()));
    else if (f === 2 && w === 1) p.startTimeUnixNano = r.fixed64();
    else if (f === 3 && w === 1) p.timeUnixNano = r.fixed64();
    else if (f === 4 && w === 1) p.asDouble = r.double();
    else if (f === 6 && w === 1) p.asInt = r.sfixed64();
    else if (f === 8 && w === 0) p.flags = r.varint();
    else r.skip(w);
  }
  return p;
}

function histogramPoint(r: PbReader): OtlpHistogramPoint {
  const p: OtlpHistogramPoint = { attributes: [], bucketCounts: [], explicitBounds: [] };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 9 && w === 2) p.attributes!.push(keyValue(r.sub()));
    else if (f === 2 && w === 1) p.startTimeUnixNano = r.fixed64();
    else if (f === 3 && w === 1) p.timeUnixNano = r.fixed64();
    else if (f === 4 && w === 1) p.count = r.fixed64();
    else if (f === 5 && w === 1) p.sum = r.double();
    else if (f === 6) r.packedFixed64(w, p.bucketCounts as number[]);
    else if (f === 7) r.packedDoubles(w, p.explicitBounds as number[]);
    else if (f === 10 && w === 0) p.flags = r.varint();
    else r.skip(w);
  }
  return p;
}

function summaryPoint(r: PbReader): OtlpSummaryPoint {
  const p: OtlpSummaryPoint = { attributes: [], quantileValues: [] };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 7 && w === 2) p.attributes!.push(keyValue(r.sub()));
    else if (f === 2 && w === 1) p.startTimeUnixNano = r.fixed64();
    else if (f === 3 && w === 1) p.timeUnixNano = r.fixed64();
    else if (f === 4 && w === 1) p.count = r.fixed64();
    else if (f === 5 && w === 1) p.sum = r.double();
    else if (f === 6 && w === 2) {
      const q = r.sub();
      const qv = { quantile: 0, value: 0 };
      while (q.more()) {
        const [qf, qw] = q.tag();
        if (qf === 1 && qw === 1) qv.quantile = q.double();
        else if (qf === 2 && qw === 1) qv.value = q.double();
        else q.skip(qw);
      }
      p.quantileValues!.push(qv);
    } else if (f === 8 && w === 0) p.flags = r.varint();
    else r.skip(w);
  }
  return p;
}

function keyValue(r: PbReader): OtlpKeyValue {
  const kv: OtlpKeyValue = { key: '', value: {} };
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) kv.key = r.string();
    else if (f === 2 && w === 2) kv.value = anyValue(r.sub());
    else r.skip(w);
  }
  return kv;
}

function anyValue(r: PbReader): OtlpAnyValue {
  const v: OtlpAnyValue = {};
  while (r.more()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) v.stringValue = r.string();
    else if (f === 2 && w === 0) v.boolValue = r.varint() !== 0;
    else if (f === 3 && w === 0) v.intValue = r.int64();
    else if (f === 4 && w === 1) v.doubleValue = r.double();
    else if (f === 5 && w === 2) {
      const a = r.sub();
      const values: OtlpAnyValue[] = [];
      while (a.more()) {
        const [af, aw] = a.tag();
        if (af === 1 && aw === 2) values.push(anyValue(a.sub()));
        else a.skip(aw);
      }
      v.arrayValue = { values };
    } else if (f === 6 && w === 2) {
      const a = r.sub();
      const values: OtlpKeyValue[] = [];
      while (a.more()) {
        const [af, aw] = a.tag();
        if (af === 1 && aw === 2) values.push(keyValue(a.sub()));
        else a.skip(aw);
      }
      v.kvlistValue = { values };
    } else if (f === 7 && w === 2) {
      const [s, e] = r.bytes();
      v.bytesValue = Buffer.from(r.buf.subarray(s, e)).toString('base64');
    } else r.skip(w);
  }
  return v;
}
