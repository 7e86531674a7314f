import { describe, it, expect } from 'vitest';
import { decodeEvents, decodeEsBulk, decodeLokiPush, decodeOtlpLogs, discoverServiceName } from '../src/index.js';

describe('event decoding', () => {
  it('reads events.k8s.io/v1 events and v1 EventLists', () => {
    const v1 = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'db-0.1', namespace: 'data' },
      regarding: { kind: 'StatefulSet', namespace: 'data', name: 'db', uid: 'u-db' },
      reason: 'FailedCreate',
      note: 'create Pod db-0 failed: quota exceeded',
      type: 'Warning',
      reportingController: 'statefulset-controller',
      series: { count: 7, lastObservedTime: '2026-01-02T03:04:05.000000Z' },
      eventTime: '2026-01-02T03:00:00.000000Z',
    };
    const [e] = decodeEvents(v1, { cluster: 'prod' });
    expect(e).toMatchObject({
      time: Date.parse('2026-01-02T03:04:05Z'),
      type: 'Warning',
      reason: 'FailedCreate',
      message: 'create Pod db-0 failed: quota exceeded',
      count: 7,
      labels: { source: 'kubernetes', cluster: 'prod', namespace: 'data', kind: 'StatefulSet', name: 'db', reporting_controller: 'statefulset-controller' },
      fingerprint: 'k8s/prod/u-db/FailedCreate',
    });
    const list = decodeEvents({ kind: 'EventList', items: [{ ...v1, reason: 'A' }, { ...v1, reason: 'B' }] });
    expect(list.map((x) => x.reason)).toEqual(['A', 'B']);
  });

  it('names the field of a bad native event', () => {
    expect(() => decodeEvents([{ message: 'ok' }, { message: 'x', count: 0 }])).toThrow(expect.objectContaining({ details: { field: 'body[1].count' } }));
    expect(() => decodeEvents({ message: 'x', colour: 'red' })).toThrow(expect.objectContaining({ details: { field: 'body.colour' } }));
    expect(() => decodeEvents({ message: 'x', time: 'yesterday' })).toThrow(expect.objectContaining({ details: { field: 'body.time' } }));
    expect(() => decodeEvents({ events: [] })).toThrow(/no events/);
  });
});

describe('ingest decoders', () => {
  it('keeps nanosecond timestamps exact through Loki JSON and OTLP JSON', () => {
    const [s] = decodeLokiPush(Buffer.from(JSON.stringify({ streams: [{ stream: { a: 'b' }, values: [['1700000000123456789', 'x']] }] })), { contentType: 'application/json' });
    expect(s!.entries[0]!.ts).toBe(1700000000123456789n);
    const [o] = decodeOtlpLogs(Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000123456789', body: { stringValue: 'y' } }] }] }] })), { contentType: 'application/json' });
    expect(o!.entries[0]!.ts).toBe(1700000000123456789n);
    expect(o!.labels).toEqual({ service_name: 'unknown_service' });
  });

  it('keeps sub-millisecond @timestamp digits from Beats', () => {
    const nd = `${JSON.stringify({ index: {} })}\n${JSON.stringify({ '@timestamp': '2026-01-02T03:04:05.123456789Z', message: 'm' })}\n`;
    const d = decodeEsBulk(Buffer.from(nd), undefined, 'idx');
    expect(d.streams[0]!.entries[0]!.ts).toBe(BigInt(Date.parse('2026-01-02T03:04:05.123Z')) * 1_000_000n + 456789n);
    expect(d.streams[0]!.labels).toEqual({ index: 'idx' });
  });
});

describe('service_name discovery (Loki 3 behaviour, opt-in)', () => {
  it('fills service_name from the first known label, else unknown_service', () => {
    const streams = discoverServiceName([
      { labels: { container: 'web', app: 'shop' }, entries: [] },
      { labels: { job: 'varlogs' }, entries: [] },
      { labels: { service_name: 'kept', app: 'x' }, entries: [] },
      { labels: { env: 'prod' }, entries: [] },
    ]);
    expect(streams.map((s) => s.labels.service_name)).toEqual(['shop', 'varlogs', 'kept', 'unknown_service']);
  });
});
