// Numerical building blocks: FFT, periodogram, autocorrelation, robust statistics, the
// Hodrick–Prescott filter and the MODWT. Pure functions over number arrays.

/** In-place iterative radix-2 complex FFT; length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * Periodogram of x zero-padded to `pad` points (a power of two ≥ 2·len for a linear ACF).
 * Returns |X_k|² / len for k = 0..pad-1.
 */
export function periodogram(x: ArrayLike<number>, pad = nextPow2(2 * x.length)): Float64Array {
  const re = new Float64Array(pad);
  const im = new Float64Array(pad);
  for (let i = 0; i < x.length; i++) re[i] = x[i]!;
  fft(re, im);
  const p = new Float64Array(pad);
  for (let k = 0; k < pad; k++) p[k] = (re[k]! * re[k]! + im[k]! * im[k]!) / x.length;
  return p;
}

/** Autocorrelation (lags 0..len-1, ACF[0] = 1) from a periodogram padded to ≥ 2·len (Wiener–Khinchin). */
export function acfFromPeriodogram(p: Float64Array, len: number): Float64Array {
  const re = Float64Array.from(p);
  const im = new Float64Array(p.length);
  fft(re, im, true);
  const out = new Float64Array(len);
  const r0 = re[0]! || 1;
  // unbiased scaling (divide by the number of pairs) as the reference's ACF does
  for (let k = 0; k < len; k++) out[k] = (re[k]! / r0) * (len / Math.max(1, len - k));
  return out;
}

export function acf(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n || 1;
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = x[i]! - m;
  return acfFromPeriodogram(periodogram(c), n);
}

export function median(xs: ArrayLike<number>): number {
  const a = Float64Array.from(xs).sort();
  const n = a.length;
  if (n === 0) return NaN;
  return n % 2 ? a[(n - 1) >> 1]! : (a[n / 2 - 1]! + a[n / 2]!) / 2;
}

/** Median absolute deviation scaled to σ for normal data. */
export function mad(xs: ArrayLike<number>, med = median(xs)): number {
  const d = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) d[i] = Math.abs(xs[i]! - med);
  return 1.4826 * median(d);
}

/** Biweight midvariance (robust variance; c = 9). */
export function biweightMidvariance(xs: ArrayLike<number>, c = 9): number {
  const n = xs.length;
  if (n === 0) return 0;
  const m = median(xs);
  const md = mad(xs, m) / 1.4826;
  if (md === 0) return 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const u = (xs[i]! - m) / (c * md);
    if (Math.abs(u) < 1) {
      const u2 = u * u;
      num += (xs[i]! - m) ** 2 * (1 - u2) ** 4;
      den += (1 - u2) * (1 - 5 * u2);
    }
  }
  return den === 0 ? 0 : (n * num) / (den * den);
}

/**
 * Hodrick–Prescott trend: minimises Σ(y−τ)² + λ Σ(Δ²τ)². Solves the pentadiagonal system
 * (I + λ DᵀD) τ = y by banded LDLᵀ in O(n).
 */
export function hpFilter(y: ArrayLike<number>, lambda: number): Float64Array {
  const n = y.length;
  const out = Float64Array.from(y);
  if (n < 3 || lambda <= 0) return out;
  // bands of A = I + λ DᵀD: a0 main, a1 first off-diagonal, a2 second
  const a0 = new Float64Array(n);
  const a1 = new Float64Array(n);
  const a2 = new Float64Array(n);
  for (let i = 0; i < n - 2; i++) {
    // row i of D is [1, -2, 1] at columns i..i+2
    const c = [1, -2, 1];
    for (let r = 0; r < 3; r++) {
      a0[i + r] = a0[i + r]! + lambda * c[r]! * c[r]!;
      if (r < 2) a1[i + r] = a1[i + r]! + lambda * c[r]! * c[r + 1]!;
    }
    a2[i] = a2[i]! + lambda * c[0]! * c[2]!;
  }
  for (let i = 0; i < n; i++) a0[i] = a0[i]! + 1;
  // LDLᵀ with L unit lower, bandwidth 2
  const d = new Float64Array(n);
  const l1 = new Float64Array(n);
  const l2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // L[i][i-2] = A[i][i-2]/d[i-2]; L[i][i-1] = (A[i][i-1] − L[i][i-2]·L[i-1][i-2]·d[i-2]) / d[i-1]
    const Li2 = i >= 2 ? a2[i - 2]! / d[i - 2]! : 0;
    const Li1 = i >= 1 ? (a1[i - 1]! - (i >= 2 ? Li2 * l1[i - 1]! * d[i - 2]! : 0)) / d[i - 1]! : 0;
    // store L[i][i-1] in l1[i], L[i][i-2] in l2[i]
    l1[i] = Li1;
    l2[i] = Li2;
    d[i] = a0[i]! - Li1 * Li1 * (i >= 1 ? d[i - 1]! : 0) - Li2 * Li2 * (i >= 2 ? d[i - 2]! : 0);
  }
  // forward: L z = y
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = y[i]! - (i >= 1 ? l1[i]! * z[i - 1]! : 0) - (i >= 2 ? l2[i]! * z[i - 2]! : 0);
  for (let i = 0; i < n; i++) z[i] = z[i]! / d[i]!;
  // backward: Lᵀ τ = z
  for (let i = n - 1; i >= 0; i--) {
    out[i] = z[i]! - (i + 1 < n ? l1[i + 1]! * out[i + 1]! : 0) - (i + 2 < n ? l2[i + 2]! * out[i + 2]! : 0);
  }
  return out;
}

// Daubechies db4 (8 taps) reconstruction low-pass filter, as PyWavelets names it.
const DB4 = [
  0.23037781330885523, 0.7148465705525415, 0.6308807679295904, -0.02798376941698385, -0.18703481171888114, 0.030841381835986965,
  0.032883011666982945, -0.010597401784997278,
];

export const DB4_LENGTH = DB4.length;

/**
 * Maximal-overlap discrete wavelet transform (circular), db4. Returns the detail coefficients
 * W_1..W_J (each of length N) and the final smooth V_J.
 */
export function modwt(x: ArrayLike<number>, levels: number): { details: Float64Array[]; smooth: Float64Array } {
  const n = x.length;
  const L = DB4.length;
  const g = DB4.map((v) => v / Math.SQRT2);
  const h = g.map((_, l) => (l % 2 === 0 ? 1 : -1) * g[L - 1 - l]!);
  let v = Float64Array.from(x);
  const details: Float64Array[] = [];
  for (let j = 1; j <= levels; j++) {
    const w = new Float64Array(n);
    const nv = new Float64Array(n);
    const step = 1 << (j - 1);
    for (let t = 0; t < n; t++) {
      let sw = 0;
      let sv = 0;
      let idx = t;
      for (let l = 0; l < L; l++) {
        const xv = v[idx]!;
        sw += h[l]! * xv;
        sv += g[l]! * xv;
        idx -= step;
        while (idx < 0) idx += n;
      }
      w[t] = sw;
      nv[t] = sv;
    }
    details.push(w);
    v = nv;
  }
  return { details, smooth: v };
}

/** Number of boundary-affected MODWT coefficients at level j (at the start of the series). */
export function modwtBoundary(j: number): number {
  return ((1 << j) - 1) * (DB4.length - 1) + 1;
}

/** p-value of Fisher's g statistic for m Fourier frequencies. */
export function fisherPValue(g: number, m: number): number {
  if (!(g > 0)) return 1;
  const kmax = Math.min(m, Math.floor(1 / g));
  let p = 0;
  let logC = 0; // log C(m, k)
  for (let k = 1; k <= kmax; k++) {
    logC += Math.log(m - k + 1) - Math.log(k);
    const base = 1 - k * g;
    if (base <= 0) break;
    const term = Math.exp(logC + (m - 1) * Math.log(base));
    p += k % 2 ? term : -term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, p));
}
