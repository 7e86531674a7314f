// A streaming novelty detector: a point is anomalous when the recent shape of the series
// (its value, its last two values, and the means of the last 16 points in fours — each quantised
// on the range seen so far) has never, or hardly ever, been seen before, or when the value (or
// the mean of the last 16 values) leaves the range seen so far. After an alarm, further alarms
// are damped for a while (one alert per incident, not one per point). The raw novelty is
// turned into a probability with an "anomaly likelihood" (how unusual the recent average novelty
// is against its own long-run distribution, Ahmad et al. 2017), so one threshold fits all series.
// Range breaks are graded by how far they go past the old extreme in units of the series' own
// point-to-point noise: a noisy series sets new records by a hair all the time, a real spike or
// level shift clears them by several noise steps. Likelihood alarms are discounted by how often
// the series has produced alarms at least as strong before (a series that is often this
// surprising is less so now). Everything is causal: each score uses only the current and
// earlier points.

import type { StreamingDetector } from './anomaly.js';

export interface NoveltyOptions {
  /** quantisation levels over the observed range. */
  levels?: number;
  /** pattern lengths compared (1 = the value alone). */
  orders?: number[];
  /** coarser views: [pool, order, levels] = the last `order` means of `pool` points, quantised on `levels`. */
  views?: [number, number, number][];
  /** points before any score is given. */
  warmup?: number;
  /** points whose novelty is left out of the likelihood's distribution: at first everything is
   *  new, and counting that would make later novelty look ordinary. */
  learningPeriod?: number;
  /** range excess (share of the range) that counts as a spatial anomaly. */
  spatialTolerance?: number;
  /** short and long windows of the anomaly likelihood. */
  shortWindow?: number;
  longWindow?: number;
  /** floor of the novelty's standard deviation in the likelihood (keeps flat histories calm). */
  minSpread?: number;
  /** points a fired alarm damps further alarms for. */
  refractory?: number;
  /** most points kept for re-quantisation. */
  history?: number;
  /** weight of the level-shift test (robust z of the short mean against the long window). */
  shiftWeight?: number;
  /** z (in robust σ) at which the level-shift test scores 0.5. */
  shiftZ?: number;
  /** window lengths whose mean leaving the range of earlier such means is a range break (sustained shifts). */
  poolSpatial?: number[];
  /** score ceiling of a pooled range break (a single-point break reaches 1). */
  poolScore?: number;
  /** excess (share of the pooled range) a pooled mean needs to count. */
  poolTolerance?: number;
  /** excess, in noise units, at which a range break's score is halfway between noiseFloor and its ceiling (0 = not graded). */
  noiseK?: number;
  /** score of a range break at zero excess, as a share of its ceiling. */
  noiseFloor?: number;
  /** EWMA rate of the noise unit (mean absolute point-to-point change). */
  noiseRate?: number;
  /** likelihood z above which a run of points is an episode, whose peak is remembered (0 = off). */
  episodeZ?: number;
  /** prior count of the episode discount: score × (1 − stronger earlier episodes / (episodes + prior)). */
  episodePrior?: number;
}

const DEF: Required<NoveltyOptions> = {
  levels: 20,
  orders: [1, 2],
  // the means of 4 points over the last 16, coarser: catches changes of shape, not just of level
  views: [[4, 4, 10]],
  warmup: 100,
  learningPeriod: 200,
  spatialTolerance: 0.01,
  minSpread: 0.01,
  shortWindow: 5,
  longWindow: 2000,
  refractory: 150,
  history: 50_000,
  // off by default: on NAB it fires along whole level shifts and costs more in false positives
  shiftWeight: 0,
  shiftZ: 6,
  poolSpatial: [16],
  poolScore: 0.7,
  poolTolerance: 0.01,
  noiseK: 1,
  noiseFloor: 0.55,
  noiseRate: 0.01,
  episodeZ: 3,
  episodePrior: 5,
};


export class NoveltyDetector implements StreamingDetector {
  readonly name = 'novelty';
  private readonly o: Required<NoveltyOptions>;
  private values: number[] = [];
  private lo = Infinity;
  private hi = -Infinity;
  private qLo = 0;
  private step = 0;
  private counts: Map<string, number>[] = [];
  private levelsSeen: number[] = [];
  // anomaly likelihood state
  private raws: number[] = [];
  private rawSum = 0;
  private rawSq = 0;
  private shortSum = 0;
  private sinceAlarm = Infinity;
  // pooled range breaks: extremes of the means of the last P points, per pool length
  private poolLo: number[] = [];
  private poolHi: number[] = [];
  /** noise unit: EWMA of |x(t) − x(t−1)| */
  private noise = 0;
  /** peak z of every finished likelihood episode, and of the current one */
  private peaks: number[] = [];
  private episodePeak = 0;
  private counted = 0;
  private t = 0;

  private readonly allViews: [number, number, number][];
  private cum: number[] = [0];

  constructor(opts: NoveltyOptions = {}) {
    this.o = { ...DEF, ...opts };
    if (!Array.isArray(this.o.poolSpatial) || !this.o.poolSpatial.every((p) => Number.isInteger(p) && p >= 1 && p <= 10_000)) {
      throw new RangeError('poolSpatial must list integers from 1 to 10000');
    }
    for (const k of ['noiseK', 'noiseFloor', 'noiseRate', 'episodeZ', 'episodePrior', 'poolScore', 'poolTolerance'] as const) {
      if (!(Number.isFinite(this.o[k]) && this.o[k] >= 0)) throw new RangeError(`${k} must be a number >= 0`);
    }
    this.allViews = [...this.o.orders.map((k) => [1, k, this.o.levels] as [number, number, number]), ...this.o.views];
    this.counts = this.allViews.map(() => new Map());
  }

  update(value: number, time?: number): number {
    if (!Number.isFinite(value)) return 0;
    void time;
    this.t++;
    const o = this.o;
    const prevLo = this.lo;
    const prevHi = this.hi;
    const range = prevHi - prevLo;
    let spatial = 0;
    if (this.t > o.warmup && range > 0) {
      const excess = Math.max(value - prevHi, prevLo - value);
      if (excess > o.spatialTolerance * range) spatial = this.graded(1, excess / this.noise);
    }
    const last = this.values[this.values.length - 1];
    if (last !== undefined) {
      const d = Math.abs(value - last);
      this.noise = this.noise === 0 ? d : this.noise + o.noiseRate * (d - this.noise);
    }
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    this.values.push(value);
    this.cum.push(this.cum[this.cum.length - 1]! + value);
    if (this.values.length > o.history * 2) {
      // drop the older half at once (amortised O(1) per point)
      const cut = this.values.length - o.history;
      this.values = this.values.slice(cut);
      const base = this.cum[cut]!;
      this.cum = this.cum.slice(cut).map((c) => c - base);
    }
    const pooled = this.poolBreak();
    // re-quantise when the range has grown enough that the grid is too coarse
    const r = this.hi - this.lo;
    if (this.step === 0 ? r > 0 : r / o.levels > this.step * 2) this.requantise();
    let raw = 0;
    if (this.step > 0) raw = this.observe(true);
    // anomaly likelihood of the short-term mean novelty against the long-run distribution
    this.raws.push(raw);
    if (this.t > o.learningPeriod) {
      this.rawSum += raw;
      this.rawSq += raw * raw;
      this.counted++;
    }
    this.shortSum += raw;
    if (this.raws.length > o.shortWindow) this.shortSum -= this.raws[this.raws.length - 1 - o.shortWindow]!;
    if (this.raws.length > o.longWindow) {
      const old = this.raws.shift()!;
      if (this.t - o.longWindow > o.learningPeriod) {
        this.rawSum -= old;
        this.rawSq -= old * old;
        this.counted--;
      }
    }
    if (this.t <= o.warmup) return 0;
    const n = this.raws.length;
    const nc = Math.max(1, this.counted);
    const mean = this.rawSum / nc;
    const sd = Math.sqrt(Math.max(1e-6, this.rawSq / nc - mean * mean));
    const short = this.shortSum / Math.min(n, o.shortWindow);
    if (this.counted < 10) return 0;
    const z = (short - mean) / Math.max(sd, o.minSpread);
    let score = logScale(1 - tail(z)) * this.episodeDiscount(z);
    if (o.shiftWeight > 0) score = Math.max(score, o.shiftWeight * this.shiftScore());
    score = Math.max(score, spatial, pooled);
    if (o.refractory > 0) {
      if (this.sinceAlarm < o.refractory) score *= this.sinceAlarm / o.refractory;
      this.sinceAlarm = score >= 0.5 ? 0 : this.sinceAlarm + 1;
    }
    return score;
  }

  /** A range break's score: from noiseFloor × ceiling at no excess towards the ceiling, halfway at noiseK noise units. */
  private graded(ceiling: number, units: number): number {
    const k = this.o.noiseK;
    if (!(k > 0) || !Number.isFinite(units)) return ceiling;
    const f = this.o.noiseFloor;
    return ceiling * (f + (1 - f) * (units / (units + k)));
  }

  /** The largest pooled range break at this point (0 if none); updates the pooled extremes. */
  private poolBreak(): number {
    const o = this.o;
    const n = this.values.length;
    let out = 0;
    o.poolSpatial.forEach((P, j) => {
      if (n < P) return;
      const m = (this.cum[n]! - this.cum[n - P]!) / P;
      const lo = this.poolLo[j] ?? Infinity;
      const hi = this.poolHi[j] ?? -Infinity;
      const r = hi - lo;
      const excess = Math.max(m - hi, lo - m);
      // the noise of a mean of P points is about 1/√P of a point's
      if (this.t > o.warmup && r > 0 && excess > o.poolTolerance * r) out = Math.max(out, this.graded(o.poolScore, excess / (this.noise / Math.sqrt(P))));
      if (m < lo) this.poolLo[j] = m;
      if (m > hi) this.poolHi[j] = m;
    });
    return out;
  }

  /** Share of earlier likelihood episodes weaker than z (with a prior); tracks episode peaks. */
  private episodeDiscount(z: number): number {
    const o = this.o;
    if (!(o.episodeZ > 0)) return 1;
    if (z < o.episodeZ) {
      if (this.episodePeak > 0) {
        this.peaks.push(this.episodePeak);
        // bounded work per point on endless streams: the most recent episodes speak for the series
        if (this.peaks.length > 512) this.peaks.shift();
      }
      this.episodePeak = 0;
      return 1;
    }
    if (z > this.episodePeak) this.episodePeak = z;
    let stronger = 0;
    for (const p of this.peaks) if (p >= z) stronger++;
    return 1 - stronger / (this.peaks.length + o.episodePrior);
  }

  /** Robust z of the mean of the last few points against the median/MAD of the long window. */
  private shiftScore(): number {
    const n = this.values.length;
    const w = Math.min(n, this.o.longWindow);
    if (w < 50) return 0;
    const k = this.o.shortWindow;
    // sample the long window (at most 256 points) for median and MAD, excluding the short window
    const stride = Math.max(1, Math.floor((w - k) / 256));
    const xs: number[] = [];
    for (let i = n - w; i < n - k; i += stride) xs.push(this.values[i]!);
    xs.sort((a, b) => a - b);
    const med = xs[xs.length >> 1]!;
    const dev = xs.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
    const mad = dev[dev.length >> 1]! * 1.4826;
    const range = this.hi - this.lo;
    const scale = Math.max(mad, range * 0.01, 1e-12);
    let sum = 0;
    for (let i = n - k; i < n; i++) sum += this.values[i]!;
    const z = Math.abs(sum / k - med) / scale;
    return z / (z + this.o.shiftZ);
  }

  private key(view: [number, number, number], end: number): string | undefined {
    const [pool, order, levels] = view;
    const step = (this.step * this.o.levels) / levels;
    let k = '';
    for (let j = order - 1; j >= 0; j--) {
      const idx = end - j * pool;
      if (idx - pool + 1 < 0) return undefined;
      const mean = (this.cum[idx + 1]! - this.cum[idx + 1 - pool]!) / pool;
      k += Math.floor((mean - this.qLo) / step) + ',';
    }
    return k;
  }

  /** Novelty of the last point; records its patterns. */
  private observe(record: boolean): number {
    const end = this.values.length - 1;
    let nov = 0;
    let w = 0;
    this.allViews.forEach((view, i) => {
      const k = this.key(view, end);
      if (k === undefined) return;
      const m = this.counts[i]!;
      const c = m.get(k) ?? 0;
      nov += 1 / (1 + c);
      w += 1;
      if (record) m.set(k, c + 1);
    });
    return w ? nov / w : 0;
  }

  private requantise(): void {
    const r = this.hi - this.lo;
    this.step = r / this.o.levels;
    this.qLo = this.lo;
    this.counts = this.allViews.map(() => new Map());
    const n = this.values.length;
    // replay history into the new grid (all but the newest point, which observe() adds)
    this.allViews.forEach((view, i) => {
      const m = this.counts[i]!;
      for (let end = 0; end < n - 1; end++) {
        const k = this.key(view, end);
        if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
      }
    });
  }
}

/** Upper tail probability of the standard normal. */
export function tail(z: number): number {
  // Abramowitz–Stegun 7.1.26 via erfc
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return x >= 0 ? 0.5 * y : 1 - 0.5 * y;
}

/** Maps a likelihood near 1 to [0, 1] on a log scale (1 − 1e-10 → 1), as NAB's HTM detector. */
export function logScale(lik: number): number {
  const v = Math.log(1.0000000001 - lik) / Math.log(1 - 0.9999999999);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
