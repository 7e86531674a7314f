// The load generator's stream: N series × 8 labels at 15 s resolution, cut into remote_write
// requests the way Prometheus sends them (series sharded over parallel queues, in time order per
// series, at most 2,000 samples per request), encoded (protobuf + snappy) before timing.
import type { Labels } from '@sreworks/promql';
import { encodeWriteRequest, snappyEncode, type SeriesSamples } from '../src/index.js';

export const STEP_MS = 15_000;
export const DAY_STEPS = 5760; // 24 h at 15 s

export interface StreamOptions {
  series: number;
  /** steps (15 s each) of the full-width stream that is timed. */
  windowSteps: number;
  shards: number;
  maxSamplesPerSend: number;
  endMs: number;
}

export interface Batch {
  body: Buffer;
  samples: number;
  series: SeriesSamples[];
}

export interface Stream {
  /** 24 h of the 20 panel series before the window (loaded untimed, for the panel query). */
  backfill: Batch[][];
  /** the timed part: every series for windowSteps steps; one array of batches per shard. */
  window: Batch[][];
  windowSamples: number;
  backfillSamples: number;
  panelSelector: string;
  startMs: number;
  endMs: number;
}

const REGIONS = ['eu-west', 'us-east', 'ap-south', 'sa-east'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUS = ['200', '404', '500'];

export function seriesLabels(i: number): Labels {
  return {
    __name__: 'bench_requests_total',
    job: `job-${i % 10}`,
    instance: `host-${i}:9100`,
    region: REGIONS[i % 4]!,
    zone: `zone-${i % 3}`,
    service: `svc-${i % 100}`,
    method: METHODS[(i >> 2) % 4]!,
    status: STATUS[i % 3]!,
  };
}

/** counter value of series i at step k: a steady rate with a little per-series variation. */
function value(i: number, k: number): number {
  return k * (1 + (i % 7)) + Math.floor(k / 37) * (i % 3);
}

function cut(ids: number[], steps: [number, number], opts: StreamOptions, t0: number): Batch[] {
  const out: Batch[] = [];
  let cur = new Map<number, SeriesSamples & { timestamps: number[]; values: number[] }>();
  let n = 0;
  const flush = () => {
    if (!n) return;
    const series = [...cur.values()];
    out.push({ body: snappyEncode(encodeWriteRequest(series)), samples: n, series });
    cur = new Map();
    n = 0;
  };
  for (let k = steps[0]; k < steps[1]; k++) {
    for (const i of ids) {
      let s = cur.get(i);
      if (!s) cur.set(i, (s = { labels: seriesLabels(i), timestamps: [], values: [] }));
      s.timestamps.push(t0 + k * STEP_MS);
      s.values.push(value(i, k));
      if (++n === opts.maxSamplesPerSend) flush();
    }
  }
  flush();
  return out;
}

export function buildStream(opts: StreamOptions): Stream {
  const endMs = opts.endMs - (opts.endMs % STEP_MS);
  const t0 = endMs - (DAY_STEPS - 1) * STEP_MS;
  const shardIds: number[][] = Array.from({ length: opts.shards }, () => []);
  for (let i = 0; i < opts.series; i++) shardIds[i % opts.shards]!.push(i);
  const panelIds = Array.from({ length: opts.series }, (_, i) => i).filter((i) => i % 100 === 0);
  const split = DAY_STEPS - opts.windowSteps;
  const backfill = shardIds.map((ids) => cut(ids.filter((i) => panelIds.includes(i)), [0, split], opts, t0));
  const window = shardIds.map((ids) => cut(ids, [split, DAY_STEPS], opts, t0));
  const sum = (b: Batch[][]) => b.flat().reduce((a, x) => a + x.samples, 0);
  return { backfill, window, windowSamples: sum(window), backfillSamples: sum(backfill), panelSelector: 'bench_requests_total{service="svc-0"}', startMs: t0, endMs };
}

export interface SendResult {
  samples: number;
  seconds: number;
  requests: number;
  retries429: number;
}

/** Sends each shard's batches in order, shards in parallel, retrying 429 after Retry-After. */
export async function send(url: string, shards: Batch[][]): Promise<SendResult> {
  let retries = 0;
  let requests = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    shards.map(async (batches) => {
      for (const b of batches) {
        for (;;) {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
            body: b.body,
          });
          requests++;
          if (res.status === 429) {
            retries++;
            await res.arrayBuffer();
            await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
            continue;
          }
          if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
          break;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return { samples: shards.flat().reduce((a, b) => a + b.samples, 0), seconds, requests, retries429: retries };
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
