// Multi-periodicity detection after RobustPeriod (Wen et al., SIGMOD'21): HP-filter detrending,
// robust normalisation (median/MAD, Huber clipping), MODWT (db4) into levels ranked by robust
// wavelet variance, a periodogram per level (Huber M-estimate or least squares), Fisher's g test,
// and validation/refinement of each candidate on the autocorrelation. Returns every significant
// period, ranked.

import {
  acf,
  acfFromPeriodogram,
  biweightMidvariance,
  fisherPValue,
  hpFilter,
  mad,
  median,
  modwt,
  modwtBoundary,
  nextPow2,
  periodogram,
} from './dsp.js';

export interface PeriodOptions {
  /** 'huber' is the paper's robust periodogram (slow), 'ls' the least-squares one (fast). */
  periodogram?: 'huber' | 'ls';
  /** HP filter λ for detrending. */
  lambda?: number;
  /** Fisher's g-test significance level. */
  alpha?: number;
  /** Huber clipping of the robustly normalised series. */
  clip?: number;
  /** ACF peak height needed to confirm a period. */
  acfPeakHeight?: number;
  /** ranking of the output: by ACF strength at the period, or by the level's wavelet variance. */
  rank?: 'local' | 'prominence' | 'acf' | 'variance';
  /** candidates within this relative distance merge. */
  mergeTolerance?: number;
}

export interface DetectedPeriod {
  /** period in samples */
  period: number;
  /** ACF value at the period (strength of the cycle) */
  acf: number;
  /** ACF peak height above the lowest ACF value at a shorter lag (0 if no ACF peak there) */
  prominence: number;
  /** ACF peak at the period after removing cycles longer than ~3 periods (the default rank) */
  localAcf: number;
  /** robust wavelet variance of the level it came from */
  variance: number;
  /** MODWT level */
  level: number;
  /** Fisher's g-test p-value */
  pValue: number;
}

const DEFAULTS: Required<PeriodOptions> = {
  periodogram: 'ls',
  lambda: 1e8,
  alpha: 0.01,
  clip: 2,
  acfPeakHeight: 0.2,
  rank: 'local',
  mergeTolerance: 0.1,
};

/** Detects the periods of a series (values in time order, NaN allowed: they are interpolated). */
export function detectPeriods(values: readonly number[], options: PeriodOptions = {}): DetectedPeriod[] {
  const o = { ...DEFAULTS, ...options };
  const x = fillGaps(values);
  const n = x.length;
  if (n < 16) return [];
  // 1. normalise and detrend
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let sd = 0;
  for (const v of x) sd += (v - mean) ** 2;
  sd = Math.sqrt(sd / n);
  if (!(sd > 0)) return [];
  const z = x.map((v) => (v - mean) / sd);
  const trend = hpFilter(z, o.lambda);
  const r = z.map((v, i) => v - trend[i]!);
  // 2. robust normalisation with Huber clipping
  const med = median(r);
  const s = mad(r, med) || sd;
  const y = r.map((v) => Math.max(-o.clip, Math.min(o.clip, (v - med) / s)));
  // 3. MODWT levels
  const levels = Math.max(1, Math.floor(Math.log2(n)) - 2);
  const { details } = modwt(y, levels);
  const series = Float64Array.from(y);
  const fullAcf = acf(series);
  const cands: DetectedPeriod[] = [];
  for (let j = 1; j <= levels; j++) {
    const b = Math.min(modwtBoundary(j), n - 8);
    const w = details[j - 1]!.subarray(Math.max(0, b));
    if (w.length < 8) continue;
    const variance = biweightMidvariance(w);
    // 4. periodogram of the level and Fisher's test
    const m = w.length;
    const pad = nextPow2(2 * m);
    const p = o.periodogram === 'huber' ? huberPeriodogram(w, pad) : periodogram(w, pad);
    let best = 0;
    let bestK = -1;
    let total = 0;
    // frequencies k/pad for periods between 2 and m/2 samples
    const kMin = Math.max(1, Math.ceil((2 * pad) / m));
    for (let k = kMin; k < pad / 2; k++) {
      total += p[k]!;
      if (p[k]! > best) {
        best = p[k]!;
        bestK = k;
      }
    }
    if (bestK < 0 || total <= 0) continue;
    const pValue = fisherPValue(best / total, pad / 2 - kMin);
    if (pValue > o.alpha) continue;
    const lo = pad / (bestK + 1);
    const hi = pad / Math.max(1, bestK - 1);
    // 5. validate and refine on the ACF of the level, then of the whole series
    const levelAcf = acfFromPeriodogram(periodogram(w, pad), m);
    const period = refineOnAcf(levelAcf, lo, hi, o.acfPeakHeight) ?? refineOnAcf(fullAcf, lo, hi, o.acfPeakHeight * 0.5);
    if (period === undefined || period < 2 || period > n / 2) continue;
    // refine the integer period to the best lag of the local ACF
    const loc = localAcf(z, period);
    const per = o.rank === 'local' ? loc.lag : period;
    cands.push({ period: per, acf: fullAcf[per] ?? 0, prominence: prominence(fullAcf, per), localAcf: loc.value, variance, level: j, pValue });
  }
  // 6. merge near-equal candidates, keep the strongest of each
  const key = (d: DetectedPeriod) => (o.rank === 'acf' ? d.acf : o.rank === 'variance' ? d.variance : o.rank === 'prominence' ? d.prominence : d.localAcf);
  const order = cands.sort((a, b) => key(b) - key(a));
  const out: DetectedPeriod[] = [];
  for (const c of order) {
    if (out.some((d) => Math.abs(d.period - c.period) <= o.mergeTolerance * Math.max(d.period, c.period))) continue;
    // a multiple of a clearly stronger period is its harmonic echo, not a period of its own
    const echo = out.some((d) => {
      const k = Math.round(c.period / d.period);
      return k >= 2 && Math.abs(c.period - k * d.period) <= 0.05 * c.period && d.localAcf >= 0.3 && d.localAcf >= c.localAcf;
    });
    if (echo && o.rank === 'local') continue;
    out.push(c);
  }
  return out;
}

/**
 * ACF at `period` (best lag within ±10 %) of the series detrended by an HP filter whose cutoff is
 * about three periods: a slow wander left by the coarse detrending then no longer props up short
 * lags, so a period's own strength is compared, not the persistence of the series.
 */
function localAcf(z: readonly number[], period: number): { lag: number; value: number } {
  const lambda = ((3 * period) / (2 * Math.PI)) ** 4;
  const t = hpFilter(z, lambda);
  const r = acf(z.map((v, i) => v - t[i]!));
  let best = -1;
  let lag = period;
  for (let k = Math.max(1, Math.floor(period * 0.9)); k <= Math.min(r.length - 1, Math.ceil(period * 1.1)); k++) {
    if (r[k]! > best) {
      best = r[k]!;
      lag = k;
    }
  }
  return { lag, value: best };
}

/**
 * How much the ACF rises to a local peak near `period` (±10 %) above its lowest value at shorter
 * lags: a real cycle dips and comes back, a persistent non-seasonal series only decays.
 */
function prominence(r: Float64Array, period: number): number {
  const n = r.length;
  const a = Math.max(1, Math.floor(period * 0.9));
  const b = Math.min(n - 2, Math.ceil(period * 1.1));
  let peak = -Infinity;
  for (let k = a; k <= b; k++) if (r[k]! >= r[k - 1]! && r[k]! >= r[k + 1]! && r[k]! > peak) peak = r[k]!;
  if (peak === -Infinity) return 0;
  let lo = Infinity;
  for (let k = 1; k < a; k++) lo = Math.min(lo, r[k]!);
  return lo === Infinity ? 0 : Math.max(0, peak - lo);
}

/**
 * Finds the ACF peak inside [lo, hi] (local maximum of at least `height`); refines it with the
 * median spacing of the peaks at its multiples. Returns the period in samples (integer).
 */
function refineOnAcf(r: Float64Array, lo: number, hi: number, height: number): number | undefined {
  const n = r.length;
  const a = Math.max(2, Math.floor(lo * 0.9));
  const b = Math.min(n - 2, Math.ceil(hi * 1.1));
  let bestLag = -1;
  let bestVal = height;
  for (let k = a; k <= b; k++) {
    const v = r[k]!;
    if (v >= bestVal && v >= r[k - 1]! && v >= r[k + 1]!) {
      bestVal = v;
      bestLag = k;
    }
  }
  if (bestLag < 0) return undefined;
  // peaks near multiples of the lag, to refine with the median spacing
  const peaks = [0, bestLag];
  for (let mult = 2; mult * bestLag < n * 0.75; mult++) {
    const c = mult * bestLag;
    const w = Math.max(1, Math.floor(bestLag * 0.2));
    let pk = -1;
    let pv = -Infinity;
    for (let k = Math.max(1, c - w); k <= Math.min(n - 2, c + w); k++) {
      if (r[k]! > pv && r[k]! >= r[k - 1]! && r[k]! >= r[k + 1]!) {
        pv = r[k]!;
        pk = k;
      }
    }
    if (pk < 0 || pv < height * 0.5) break;
    peaks.push(pk);
  }
  if (peaks.length < 3) return bestLag;
  const gaps = peaks.slice(1).map((p, i) => p - peaks[i]!);
  return Math.round(median(gaps));
}

/**
 * Huber-periodogram: for each frequency a robust (Huber M-estimate, IRLS) fit of the series on
 * cos/sin; the power is the fitted amplitude², scaled like the ordinary periodogram.
 */
export function huberPeriodogram(w: ArrayLike<number>, pad: number, c = 1.345, iters = 10): Float64Array {
  const m = w.length;
  const out = new Float64Array(pad);
  const s = mad(w) || 1;
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const wt = new Float64Array(m);
  for (let k = 1; k < pad / 2; k++) {
    const f = (2 * Math.PI * k) / pad;
    for (let t = 0; t < m; t++) {
      cs[t] = Math.cos(f * t);
      sn[t] = Math.sin(f * t);
      wt[t] = 1;
    }
    let a = 0;
    let b = 0;
    for (let it = 0; it < iters; it++) {
      // weighted least squares for [a, b] (2×2 normal equations)
      let scc = 0;
      let sss = 0;
      let scs = 0;
      let syc = 0;
      let sys = 0;
      for (let t = 0; t < m; t++) {
        const q = wt[t]!;
        scc += q * cs[t]! * cs[t]!;
        sss += q * sn[t]! * sn[t]!;
        scs += q * cs[t]! * sn[t]!;
        syc += q * w[t]! * cs[t]!;
        sys += q * w[t]! * sn[t]!;
      }
      const det = scc * sss - scs * scs;
      if (Math.abs(det) < 1e-12) break;
      const na = (syc * sss - sys * scs) / det;
      const nb = (sys * scc - syc * scs) / det;
      const done = Math.abs(na - a) + Math.abs(nb - b) < 1e-6;
      a = na;
      b = nb;
      if (done) break;
      for (let t = 0; t < m; t++) {
        const e = Math.abs(w[t]! - a * cs[t]! - b * sn[t]!) / s;
        wt[t] = e <= c ? 1 : c / e;
      }
    }
    out[k] = ((a * a + b * b) * m) / 4;
    out[pad - k] = out[k]!;
  }
  return out;
}

/** Linear interpolation over NaN/non-finite values; leading/trailing gaps take the nearest value. */
export function fillGaps(values: readonly number[]): number[] {
  const out = values.slice();
  const n = out.length;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(out[i])) {
      if (last < i - 1) {
        for (let k = last + 1; k < i; k++) out[k] = last < 0 ? out[i]! : out[last]! + ((out[i]! - out[last]!) * (k - last)) / (i - last);
      }
      last = i;
    }
  }
  if (last < 0) return [];
  for (let k = last + 1; k < n; k++) out[k] = out[last]!;
  return out;
}
