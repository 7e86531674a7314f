// Streaming per-series anomaly detectors. Each `update(value)` sees only the past and the
// current point and returns an anomaly score in [0, 1]; none looks ahead.
import { NoveltyDetector, type NoveltyOptions } from './novelty.js';

export type Direction = 'up' | 'down' | 'both';

export interface StreamingDetector {
  readonly name: string;
  /** Feeds one point (time in ms, optional) and returns its anomaly score in [0, 1]. */
  update(value: number, time?: number): number;
}

// ---------------------------------------------------------------------------------------------
// n-sigma (SREWorks' `anomalydetection` service)

export interface NSigmaOptions {
  /** band width in standard deviations (SREWorks `tolerance`, default 3). */
  n?: number;
  direction?: Direction;
  /** points needed before scoring (SREWorks requires 15 training points). */
  minTrain?: number;
  /** training window in points; 0 = everything seen so far (the API's default split). */
  window?: number;
}

/**
 * SREWorks' k-sigma band, made streaming: mean and standard deviation of the points before the
 * current one (all of them, or the last `window`), anomaly when the value leaves mean ± n·σ.
 *
 * Decision on the original's quirk: its `down` branch compared the value with the *upper* limit
 * (`kpi <= up_limit`), flagging almost every point. We fix it: `down` flags values at or below
 * mean − n·σ, mirroring `up`. The score is d / (d + n) where d is the signed distance in σ in the
 * chosen direction (0 when d ≤ 0), so score ≥ 0.5 exactly when the SREWorks rule fires.
 * A NaN value scores 0 and is not learnt; a constant history (σ = 0) flags any change.
 */
export class NSigmaDetector implements StreamingDetector {
  readonly name = 'nsigma';
  private readonly n: number;
  private readonly direction: Direction;
  private readonly minTrain: number;
  private readonly window: number;
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private ring: number[] = [];

  constructor(opts: NSigmaOptions = {}) {
    this.n = opts.n ?? 3;
    this.direction = opts.direction ?? 'both';
    this.minTrain = opts.minTrain ?? 15;
    this.window = opts.window ?? 0;
    if (!(this.n > 0)) throw new RangeError('n must be > 0');
    if (!['up', 'down', 'both'].includes(this.direction)) throw new RangeError('direction must be up, down or both');
  }

  update(value: number): number {
    if (!Number.isFinite(value)) return 0;
    let score = 0;
    if (this.count >= this.minTrain) {
      const sd = Math.sqrt(this.m2 / Math.max(1, this.count - 1));
      const diff = value - this.mean;
      const dev = this.direction === 'up' ? diff : this.direction === 'down' ? -diff : Math.abs(diff);
      if (sd === 0) score = dev > 1e-12 * Math.max(1, Math.abs(this.mean)) ? 1 : 0;
      else {
        const d = dev / sd;
        score = d <= 0 ? 0 : d / (d + this.n);
      }
    }
    this.learn(value);
    return score;
  }

  private learn(x: number): void {
    // Welford's update, with removal for a sliding window
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (this.window > 0) {
      this.ring.push(x);
      if (this.ring.length > this.window) {
        const y = this.ring.shift()!;
        const dy = y - this.mean;
        this.count--;
        this.mean -= dy / this.count;
        this.m2 -= dy * (y - this.mean);
        if (this.m2 < 0) this.m2 = 0;
      }
    }
  }
}

/** Whole-series convenience: runs a detector over the values in order. */
export function detectSeries(det: StreamingDetector, values: readonly number[], times?: readonly number[]): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = det.update(values[i]!, times?.[i]);
  return out;
}

export const DETECTORS = ['nsigma', 'novelty'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** Builds a detector by name (the CLI's and the API's `detector`). */
export function createDetector(name: string, opts: Record<string, unknown> = {}): StreamingDetector {
  switch (name) {
    case 'nsigma':
      return new NSigmaDetector(opts as NSigmaOptions);
    case 'novelty':
      return new NoveltyDetector(opts as NoveltyOptions);
    default:
      throw new RangeError(`unknown detector ${JSON.stringify(name)} (known: ${DETECTORS.join(', ')})`);
  }
}
