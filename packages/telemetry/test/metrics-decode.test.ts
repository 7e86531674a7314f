import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '@sreworks/promql';
import { decodeWriteRequest, encodeWriteRequest, promLabelName, promMetricName } from '../src/index.js';
import { LabelCache } from '../src/metrics/ingest/remote-write.js';
import { PbWriter } from '../src/metrics/ingest/protobuf.js';
import { parseDuration, parseSelector, parseTime } from '../src/metrics/params.js';

describe('remote_write protobuf', () => {
  it('round-trips series, special values and metadata; caches label sets', () => {
    const buf = encodeWriteRequest(
      [
        { labels: { __name__: 'a', x: 'é ü 中' }, timestamps: [1, 2, 3], values: Float64Array.of(1.5, STALE_NAN, -Infinity) },
        { labels: { __name__: 'b' }, timestamps: [1_700_000_000_123], values: [NaN] },
      ],
      [{ metric: 'a', type: 'counter', help: 'h', unit: 'seconds' }],
    );
    const cache = new LabelCache();
    const wr = decodeWriteRequest(buf, cache);
    expect(wr.series[0]!.labels).toEqual({ __name__: 'a', x: 'é ü 中' });
    expect(Array.from(wr.series[0]!.timestamps)).toEqual([1, 2, 3]);
    expect(wr.series[0]!.values[0]).toBe(1.5);
    expect(isStaleNaN(wr.series[0]!.values[1]!)).toBe(true);
    expect(wr.series[0]!.values[2]).toBe(-Infinity);
    expect(wr.series[1]!.timestamps[0]).toBe(1_700_000_000_123);
    expect(wr.metadata).toEqual([{ metric: 'a', type: 'counter', help: 'h', unit: 'seconds' }]);
    const again = decodeWriteRequest(buf, cache);
    expect(again.series[0]!.labels).toBe(wr.series[0]!.labels); // same frozen object
    expect(Object.isFrozen(again.series[0]!.labels)).toBe(true);
  });

  it('decodes samples with fields in any order, negative timestamps and unknown fields', () => {
    const w = new PbWriter();
    w.message(1, (ts) => {
      ts.message(2, (s) => s.int64(2, -5000).double(1, 7)); // timestamp before value
      ts.string(9, 'unknown field');
      ts.message(1, (l) => l.string(1, '__name__').string(2, 'm'));
      ts.message(2, (s) => s.double(1, 8).int64(2, 42));
      ts.message(1, (l) => l.string(1, 'k').string(2, 'v')); // labels not contiguous
    });
    const wr = decodeWriteRequest(w.finish(), new LabelCache());
    expect(wr.series[0]!.labels).toEqual({ __name__: 'm', k: 'v' });
    expect(Array.from(wr.series[0]!.timestamps)).toEqual([-5000, 42]);
    expect(Array.from(wr.series[0]!.values)).toEqual([7, 8]);
  });

  it('decodes many series with tiny samples (default values left out) past its first estimate', () => {
    // a Sample with value 0 and timestamp 0 is 2 bytes on the wire: far more samples per byte
    // than the usual 13, so the shared sample arrays must grow while series keep correct views
    const w = new PbWriter();
    for (let s = 0; s < 40; s++) {
      w.message(1, (ts) => {
        ts.message(1, (l) => l.string(1, '__name__').string(2, `m${s}`));
        for (let i = 0; i < 50; i++) ts.message(2, (smp) => (i % 2 ? smp.double(1, s).int64(2, i) : smp));
      });
    }
    const wr = decodeWriteRequest(w.finish(), new LabelCache());
    expect(wr.series).toHaveLength(40);
    for (let s = 0; s < 40; s++) {
      const x = wr.series[s]!;
      expect(x.labels.__name__).toBe(`m${s}`);
      expect(Array.from(x.timestamps)).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 ? i : 0)));
      expect(Array.from(x.values)).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 ? s : 0)));
    }
  });

  it('refuses truncated messages and duplicate labels', () => {
    const buf = encodeWriteRequest([{ labels: { __name__: 'a' }, timestamps: [1], values: [1] }]);
    for (let cut = 1; cut < buf.length; cut++) expect(() => decodeWriteRequest(buf.subarray(0, cut)), `cut at ${cut}`).toThrow(/truncated or corrupt/);
    const w = new PbWriter();
    w.message(1, (ts) => {
      ts.message(1, (l) => l.string(1, 'a').string(2, '1'));
      ts.message(1, (l) => l.string(1, 'a').string(2, '2'));
    });
    expect(() => decodeWriteRequest(w.finish(), new LabelCache())).toThrow(/duplicate label "a"/);
  });
});

describe('OTLP name translation', () => {
  it('follows the Prometheus translator', () => {
    expect(promMetricName('http.server.duration', 's', 'other')).toBe('http_server_duration_seconds');
    expect(promMetricName('http.server.requests', '{request}', 'counter')).toBe('http_server_requests_total');
    expect(promMetricName('system.network.io', 'By', 'counter')).toBe('system_network_io_bytes_total');
    expect(promMetricName('requests.total', '1', 'counter')).toBe('requests_total');
    expect(promMetricName('cpu.utilization', '1', 'gauge')).toBe('cpu_utilization_ratio');
    expect(promMetricName('throughput', 'By/s', 'gauge')).toBe('throughput_bytes_per_second');
    expect(promMetricName('2xx.count', '', 'gauge')).toBe('_2xx_count');
    expect(promLabelName('http.status_code')).toBe('http_status_code');
    expect(promLabelName('0day')).toBe('key_0day');
    expect(promLabelName('_private')).toBe('key_private');
  });
});

describe('Prometheus API parameters', () => {
  it('parses times, durations and selectors', () => {
    expect(parseTime('1700000000.5', 'time')).toBe(1_700_000_000_500);
    expect(parseTime('2023-11-14T22:13:20Z', 'time')).toBe(1_700_000_000_000);
    expect(() => parseTime('tomorrow', 'time')).toThrow(/valid timestamp/);
    expect(parseDuration('1h30m', 'step')).toBe(5_400_000);
    expect(parseDuration('15', 'step')).toBe(15_000);
    expect(() => parseDuration('1x', 'step')).toThrow(/valid duration/);
    expect(parseSelector('up{job="a\\"b",instance=~"x.*", env!=\'\'}', 'match[]')).toEqual([
      { name: '__name__', type: '=', value: 'up' },
      { name: 'job', type: '=', value: 'a"b' },
      { name: 'instance', type: '=~', value: 'x.*' },
      { name: 'env', type: '!=', value: '' },
    ]);
    expect(() => parseSelector('{job=~".*"}', 'match[]')).toThrow(/non-empty matcher/);
    expect(() => parseSelector('up{job="a"', 'match[]')).toThrow(/invalid series selector/);
  });
});
