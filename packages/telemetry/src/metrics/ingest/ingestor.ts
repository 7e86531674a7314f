// The one write path every protocol shares: validate labels and samples, bound the work in
// flight (429 + Retry-After when over), hand the valid part to the store, and report what was
// refused so the protocol layer can answer 4xx after the valid part is durable.
import { InputError, TooManyRequestsError, type ErrorDetails } from '@sreworks/kernel';
import { validateLabels } from '../labels.js';
import type { AppendResult, MetricMetadata, MetricsStore, SeriesSamples } from '../types.js';

export interface IngestorOptions {
  /** samples accepted but not yet committed, across all requests; above it → 429. */
  maxPendingSamples?: number;
  retryAfterSeconds?: number;
  /** samples further in the future than this are refused (clock skew guard). */
  maxFutureMs?: number;
}

export interface IngestReport extends AppendResult {
  invalidSeries: number;
  invalidSamples: number;
  /** one entry per refused series or kind of refusal, for the 400 body. */
  errors: ErrorDetails[];
}

export class MetricsIngestor {
  private inFlight = 0;
  private readonly validated = new WeakMap<object, Record<string, string>>();
  readonly maxPendingSamples: number;
  private readonly retryAfter: number;
  private readonly maxFutureMs: number;

  constructor(
    readonly store: MetricsStore,
    opts: IngestorOptions = {},
  ) {
    this.maxPendingSamples = opts.maxPendingSamples ?? 1_000_000;
    this.retryAfter = opts.retryAfterSeconds ?? 2;
    this.maxFutureMs = opts.maxFutureMs ?? 10 * 60_000;
  }

  get pendingSamples(): number {
    return this.inFlight;
  }

  /** Refuses a request before decoding when the store is already saturated. */
  checkCapacity(): void {
    if (this.inFlight >= this.maxPendingSamples) {
      throw new TooManyRequestsError(`metrics ingestion is saturated (${this.inFlight} samples waiting for commit); retry later`, this.retryAfter, 'TELEMETRY_INGEST_OVERLOADED');
    }
  }

  async write(series: SeriesSamples[], metadata: MetricMetadata[] = [], field = 'body.timeseries'): Promise<IngestReport> {
    const report: IngestReport = { accepted: 0, duplicates: 0, conflicts: 0, tooOld: 0, newSeries: 0, invalidSeries: 0, invalidSamples: 0, errors: [] };
    const valid: SeriesSamples[] = [];
    let n = 0;
    const maxTs = Date.now() + this.maxFutureMs;
    series.forEach((s, i) => {
      let labels;
      try {
        // decoders hand out one frozen labels object per distinct series: validate it once
        const cached = Object.isFrozen(s.labels) ? this.validated.get(s.labels) : undefined;
        if (cached) labels = cached;
        else {
          labels = validateLabels(s.labels, `${field}[${i}].labels`);
          if (Object.isFrozen(s.labels)) this.validated.set(s.labels, Object.freeze(labels));
        }
      } catch (e) {
        report.invalidSeries++;
        report.invalidSamples += s.timestamps.length;
        if (report.errors.length < 20) report.errors.push({ ...((e as InputError).details as ErrorDetails), message: (e as Error).message, code: (e as InputError).code });
        return;
      }
      // the usual case: every timestamp valid and in order, so the decoder's arrays pass as they are
      const m = s.timestamps.length;
      let ok = true;
      for (let j = 0, prev = 0; j < m; j++) {
        const t = s.timestamps[j]!;
        if (!(t >= prev && t <= maxTs && Number.isSafeInteger(t))) {
          ok = false;
          break;
        }
        prev = t;
      }
      if (ok) {
        if (m) {
          valid.push({ labels, timestamps: s.timestamps, values: s.values instanceof Float64Array ? s.values : Float64Array.from(s.values) });
          n += m;
        }
        return;
      }
      const ts: number[] = [];
      const vs = new Float64Array(s.timestamps.length);
      let sorted = true;
      for (let j = 0; j < s.timestamps.length; j++) {
        const t = s.timestamps[j]!;
        if (!Number.isSafeInteger(t) || t < 0 || t > maxTs) {
          report.invalidSamples++;
          if (report.errors.length < 20) report.errors.push({ field: `${field}[${i}].samples[${j}].timestamp`, code: 'TELEMETRY_SAMPLE_TIMESTAMP', message: `timestamp ${t} is not a Unix time in ms within range` });
          continue;
        }
        if (ts.length && t < ts[ts.length - 1]!) sorted = false;
        vs[ts.length] = s.values[j]!; // NaN, stale NaN and ±Inf are valid sample values and are stored as they are
        ts.push(t);
      }
      if (!ts.length) return;
      if (!sorted) {
        const idx = ts.map((_, k) => k).sort((a, b) => ts[a]! - ts[b]!);
        const sv = new Float64Array(idx.length);
        idx.forEach((k, o) => (sv[o] = vs[k]!));
        valid.push({ labels, timestamps: idx.map((k) => ts[k]!), values: sv });
      } else valid.push({ labels, timestamps: ts, values: vs.subarray(0, ts.length) });
      n += ts.length;
    });
    if (this.inFlight > 0 && this.inFlight + n > this.maxPendingSamples) {
      throw new TooManyRequestsError(`metrics ingestion is saturated (${this.inFlight} samples waiting for commit); retry later`, this.retryAfter, 'TELEMETRY_INGEST_OVERLOADED');
    }
    if (valid.length) {
      this.inFlight += n;
      try {
        const r = await this.store.append(valid);
        report.accepted = r.accepted;
        report.duplicates = r.duplicates;
        report.conflicts = r.conflicts;
        report.tooOld = r.tooOld;
        report.newSeries = r.newSeries;
      } finally {
        this.inFlight -= n;
      }
    }
    if (metadata.length) await this.store.appendMetadata(metadata.filter((m) => m.metric));
    if (report.conflicts) report.errors.push({ field, code: 'TELEMETRY_SAMPLE_DUPLICATE', message: `${report.conflicts} samples have the timestamp of a stored sample with another value (duplicate sample for timestamp)` });
    if (report.tooOld) report.errors.push({ field, code: 'TELEMETRY_SAMPLE_TOO_OLD', message: `${report.tooOld} samples are older than the raw retention` });
    return report;
  }
}

/** Throws the 400 that remote_write expects when any part of a batch was refused. */
export function throwIfRejected(r: IngestReport): void {
  const refused = r.invalidSamples + r.conflicts + r.tooOld;
  if (!refused) return;
  const first = r.errors[0];
  throw new InputError(
    `${refused} samples refused (${r.accepted} accepted and stored): ${first?.message ?? 'invalid samples'}`,
    r.errors,
    (first?.code as string | undefined) ?? 'TELEMETRY_SAMPLES_REFUSED',
  );
}
