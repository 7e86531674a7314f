// Pull scraping of Prometheus exporters: per job a list of targets, an interval and a timeout,
// target relabelling (relabel_configs) and sample relabelling (metric_relabel_configs). Writes
// `up`, `scrape_duration_seconds`, `scrape_samples_scraped` like Prometheus, and stale markers
// for series that vanish or when a target goes down.
import { InputError } from '@sreworks/kernel';
import { STALE_NAN, type Labels } from '@sreworks/promql';
import { seriesKey } from '../labels.js';
import { SeriesBuilder } from '../types.js';
import { parseExposition } from './exposition.js';
import type { MetricsIngestor } from './ingestor.js';
import { compileRelabel, relabel, type RelabelConfig } from './relabel.js';

export interface ScrapeJob {
  job: string;
  /** URLs of exporters' metrics endpoints, e.g. http://127.0.0.1:9100/metrics. */
  targets: { url: string; labels?: Labels }[];
  intervalMs?: number;
  timeoutMs?: number;
  relabelConfigs?: RelabelConfig[];
  metricRelabelConfigs?: RelabelConfig[];
  honorLabels?: boolean;
}

export interface ScrapeResult {
  target: string;
  up: boolean;
  samples: number;
  error?: string;
}

interface TargetState {
  url: string;
  labels: Labels;
  lastSeries: Map<string, Labels>;
  timer?: NodeJS.Timeout;
}

export class ScrapeManager {
  private readonly jobs: { job: ScrapeJob; targets: TargetState[]; rules: ReturnType<typeof compileRelabel> }[] = [];
  private running = false;

  constructor(
    private readonly ingestor: MetricsIngestor,
    jobs: ScrapeJob[],
    private readonly log: (msg: string) => void = () => {},
  ) {
    jobs.forEach((job, ji) => {
      const field = `scrape.jobs[${ji}]`;
      if (!job.job) throw new InputError('job name is required', { field: `${field}.job` }, 'TELEMETRY_SCRAPE_CONFIG');
      const interval = job.intervalMs ?? 15_000;
      const timeout = job.timeoutMs ?? 10_000;
      if (timeout > interval) throw new InputError(`${field}.timeoutMs: the timeout must not exceed the interval`, { field: `${field}.timeoutMs` }, 'TELEMETRY_SCRAPE_CONFIG');
      const targetRules = compileRelabel(job.relabelConfigs ?? [], `${field}.relabelConfigs`);
      const rules = compileRelabel(job.metricRelabelConfigs ?? [], `${field}.metricRelabelConfigs`);
      const targets: TargetState[] = [];
      job.targets.forEach((t, ti) => {
        let u: URL;
        try {
          u = new URL(t.url);
        } catch {
          throw new InputError(`${field}.targets[${ti}].url: ${JSON.stringify(t.url)} is not a URL`, { field: `${field}.targets[${ti}].url` }, 'TELEMETRY_SCRAPE_CONFIG');
        }
        const pre: Labels = { job: job.job, __address__: u.host, __scheme__: u.protocol.replace(':', ''), __metrics_path__: u.pathname, ...t.labels };
        const after = relabel(pre, targetRules);
        if (!after) return; // dropped by relabelling
        const labels: Labels = {};
        for (const [k, v] of Object.entries(after)) if (!k.startsWith('__')) labels[k] = v;
        labels.instance ??= after.__address__ ?? u.host;
        const url = `${after.__scheme__ ?? 'http'}://${after.__address__ ?? u.host}${after.__metrics_path__ ?? u.pathname}${u.search}`;
        targets.push({ url, labels, lastSeries: new Map() });
      });
      this.jobs.push({ job: { ...job, intervalMs: interval, timeoutMs: timeout }, targets, rules });
    });
  }

  /** targets after relabelling (for an API listing and tests). */
  activeTargets(): { job: string; url: string; labels: Labels }[] {
    return this.jobs.flatMap((j) => j.targets.map((t) => ({ job: j.job.job, url: t.url, labels: t.labels })));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const j of this.jobs) {
      j.targets.forEach((t, i) => {
        // spread targets over the interval so they are not all scraped at once
        const offset = Math.floor((j.job.intervalMs! * i) / Math.max(1, j.targets.length));
        const tick = () => {
          if (!this.running) return;
          void this.scrapeTarget(j, t).finally(() => {
            if (this.running) t.timer = setTimeout(tick, j.job.intervalMs!);
          });
        };
        t.timer = setTimeout(tick, offset);
      });
    }
  }

  stop(): void {
    this.running = false;
    for (const j of this.jobs) for (const t of j.targets) clearTimeout(t.timer);
  }

  /** Scrapes every target once, now (tests and `sreworks` one-shot use). */
  async scrapeAll(): Promise<ScrapeResult[]> {
    const out: ScrapeResult[] = [];
    for (const j of this.jobs) for (const t of j.targets) out.push(await this.scrapeTarget(j, t));
    return out;
  }

  private async scrapeTarget(j: (typeof this.jobs)[number], t: TargetState): Promise<ScrapeResult> {
    const start = Date.now();
    const series = new Map<string, SeriesBuilder>();
    const add = (labels: Labels, ts: number, v: number) => {
      const k = seriesKey(labels);
      let s = series.get(k);
      if (!s) series.set(k, (s = new SeriesBuilder(labels)));
      s.push(ts, v);
    };
    let up = true;
    let error: string | undefined;
    let scraped = 0;
    let meta: ReturnType<typeof parseExposition>['metadata'] = [];
    try {
      const res = await fetch(t.url, {
        headers: { accept: 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1', 'x-prometheus-scrape-timeout-seconds': String(j.job.timeoutMs! / 1000) },
        signal: AbortSignal.timeout(j.job.timeoutMs!),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const exp = parseExposition(await res.text(), t.url);
      meta = exp.metadata;
      scraped = exp.samples.length;
      for (const s of exp.samples) {
        const labels: Labels = { ...s.labels };
        for (const [k, v] of Object.entries(t.labels)) {
          if (labels[k] !== undefined && labels[k] !== '' && !j.job.honorLabels) labels[`exported_${k}`] = labels[k]!;
          if (labels[k] === undefined || labels[k] === '' || !j.job.honorLabels) labels[k] = v;
        }
        const kept = relabel(labels, j.rules);
        if (kept) add(kept, s.timestampMs ?? start, s.value);
      }
    } catch (e) {
      up = false;
      error = (e as Error).message;
      this.log(`scrape of ${t.url} failed: ${error}`);
    }
    // series seen last time and not now get a stale marker, as Prometheus does
    const seen = new Map<string, Labels>();
    for (const [k, s] of series) seen.set(k, s.labels);
    for (const [k, l] of t.lastSeries) if (!seen.has(k)) add(l, start, STALE_NAN);
    t.lastSeries = seen;
    const dur = (Date.now() - start) / 1000;
    add({ __name__: 'up', ...t.labels }, start, up ? 1 : 0);
    add({ __name__: 'scrape_duration_seconds', ...t.labels }, start, dur);
    add({ __name__: 'scrape_samples_scraped', ...t.labels }, start, scraped);
    add({ __name__: 'scrape_samples_post_metric_relabeling', ...t.labels }, start, seen.size);
    try {
      await this.ingestor.write([...series.values()].map((b) => b.finish()), meta, `scrape[${t.url}]`);
    } catch (e) {
      error = `storing scrape failed: ${(e as Error).message}`;
      this.log(error);
    }
    return { target: t.url, up, samples: scraped, error };
  }
}
