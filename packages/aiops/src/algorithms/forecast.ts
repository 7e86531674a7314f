// Seasonal forecasting for capacity planning: additive Holt-Winters (level, damped trend,
// seasonal of the detected period) with smoothing parameters fitted by grid search on one-step
// errors, and prediction intervals from the ETS(A,Ad,A) forecast variance.

import { detectPeriods, fillGaps } from './periodicity.js';

export interface ForecastOptions {
  /** seasonal period in samples; detected when omitted (0 = no season). */
  period?: number;
  /** confidence level of the intervals. */
  level?: number;
}

export interface Forecast {
  period: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** root mean squared one-step error in the fit */
  rmse: number;
  mean: number[];
  lower: number[];
  upper: number[];
}

interface Fit {
  sse: number;
  level: number;
  trend: number;
  season: number[];
  /** index into season of the next step */
  next: number;
}

function run(x: readonly number[], m: number, a: number, b: number, g: number, phi: number): Fit {
  // initial state from the first seasons: level = mean of the first season, trend from the
  // difference of the first two season means, seasonals = deviations of the first season
  const s0 = m > 1 ? m : 1;
  const first = x.slice(0, s0);
  let level = first.reduce((p, v) => p + v, 0) / first.length;
  let trend = 0;
  if (x.length >= 2 * s0) {
    const second = x.slice(s0, 2 * s0);
    trend = (second.reduce((p, v) => p + v, 0) / s0 - level) / s0;
  }
  const season = m > 1 ? first.map((v) => v - level) : [0];
  let sse = 0;
  let si = 0;
  for (let t = 0; t < x.length; t++) {
    const s = m > 1 ? season[si]! : 0;
    const yhat = level + phi * trend + s;
    const e = x[t]! - yhat;
    sse += e * e;
    const prevLevel = level;
    level = prevLevel + phi * trend + a * e;
    trend = phi * trend + a * b * e;
    if (m > 1) {
      season[si] = s + g * (1 - a) * e;
      si = (si + 1) % m;
    }
  }
  return { sse, level, trend, season, next: si };
}

const Z: Record<string, number> = { '0.8': 1.2816, '0.9': 1.6449, '0.95': 1.96, '0.99': 2.5758 };

function zFor(level: number): number {
  const k = String(level);
  if (Z[k]) return Z[k]!;
  // Acklam-free fallback: bisection on the normal CDF
  let lo = 0;
  let hi = 6;
  const target = 1 - (1 - level) / 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const cdf = 0.5 * (1 + erf(mid / Math.SQRT2));
    if (cdf < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** Forecasts `horizon` steps after the series. */
export function forecast(values: readonly number[], horizon: number, options: ForecastOptions = {}): Forecast {
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError('horizon must be a positive integer');
  const x = fillGaps(values);
  if (x.length < 2) throw new RangeError('need at least 2 finite points to forecast');
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError('level must be in (0, 1)');
  let m = options.period ?? detectPeriods(x)[0]?.period ?? 0;
  if (!Number.isInteger(m) || m < 2 || x.length < 2 * m) m = 0;
  const grid = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
  const phis = [0.8, 0.9, 0.98, 1];
  let best: { fit: Fit; a: number; b: number; g: number; phi: number } | undefined;
  for (const a of grid)
    for (const b of [0, 0.05, 0.1, 0.3])
      for (const g of m ? [0.05, 0.1, 0.3, 0.5] : [0])
        for (const phi of phis) {
          const fit = run(x, m, a, b, g, phi);
          if (!best || fit.sse < best.fit.sse) best = { fit, a, b, g, phi };
        }
  const { fit, a, b, g, phi } = best!;
  const sigma2 = fit.sse / Math.max(1, x.length - 1);
  const z = zFor(level);
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  let phiSum = 0;
  let varSum = 0;
  for (let h = 1; h <= horizon; h++) {
    phiSum += phi ** h;
    const s = m ? fit.season[(fit.next + h - 1) % m]! : 0;
    const yhat = fit.level + phiSum * fit.trend + s;
    // ETS(A,Ad,A) variance: σ²(1 + Σ_{j<h} c_j²), c_j = α(1 + β·Σ_{i≤j}φ^i) + γ(1−α)·[j mod m = 0]
    if (h > 1) {
      const j = h - 1;
      let ps = 0;
      for (let i = 1; i <= j; i++) ps += phi ** i;
      const c = a * (1 + b * ps) + (m && j % m === 0 ? g * (1 - a) : 0);
      varSum += c * c;
    }
    const sd = Math.sqrt(sigma2 * (1 + varSum));
    mean.push(yhat);
    lower.push(yhat - z * sd);
    upper.push(yhat + z * sd);
  }
  return { period: m, alpha: a, beta: b, gamma: g, phi, rmse: Math.sqrt(fit.sse / x.length), mean, lower, upper };
}
