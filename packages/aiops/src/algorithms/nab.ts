// A port of the Numenta Anomaly Benchmark scorer (NAB v1.1: nab/sweeper.py, nab/optimizer.py,
// normalisation in nab/scorer.py), written from its documented rules:
//  - the first 15 % of each file (at most 750 rows) is probationary and not scored;
//  - inside a window a detection is worth the scaled sigmoid of its relative position, scaled so
//    the left edge is worth tpWeight; only the earliest detection of a window counts;
//  - a window without detection costs fnWeight;
//  - a detection outside windows costs fpWeight × a sigmoid that grows with the distance past the
//    previous window (−1 when no window precedes it);
//  - one threshold per detector and profile is chosen over the whole corpus to maximise the sum;
//  - the sum is normalised so the null detector scores 0 and the perfect one 100.

export interface CostProfile {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
}

export const NAB_PROFILES: Record<'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate', CostProfile> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11 },
};

export interface NabSeries {
  name: string;
  /** epoch ms, ascending */
  timestamps: number[];
  /** detector output in [0, 1] */
  scores: number[];
  /** anomaly windows, [start, end] epoch ms, inclusive */
  windows: [number, number][];
}

export interface NabResult {
  threshold: number;
  raw: number;
  /** normalised score: null detector 0, perfect detector 100 */
  score: number;
  tp: number;
  fp: number;
  fn: number;
  windows: number;
}

interface Point {
  score: number;
  sweep: number;
  /** global window index, -1 outside windows */
  window: number;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** NAB's scaled sigmoid: ~0.987 at position −1 (left edge), 0 at the right edge, → −1 far past. */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 * sigmoid(-5 * position) - 1;
}

export function probationaryLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/** The per-row sweep scores of one file (NAB's `_prepAnomalyListForScoring`). */
function sweepPoints(s: NabSeries, cost: CostProfile, windowBase: number, out: Point[]): number {
  const n = s.timestamps.length;
  const maxTP = scaledSigmoid(-1);
  const prob = probationaryLength(n);
  // window index ranges over rows
  const ranges: [number, number][] = [];
  for (const [a, b] of s.windows) {
    let l = -1;
    let r = -1;
    for (let i = 0; i < n; i++) {
      const t = s.timestamps[i]!;
      if (t >= a && t <= b) {
        if (l < 0) l = i;
        r = i;
      }
    }
    if (l >= 0) ranges.push([l, r]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  let w = 0;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    const cur = w < ranges.length && i >= ranges[w]![0] ? ranges[w]! : undefined;
    let sweep: number;
    let win = -1;
    if (cur) {
      const width = cur[1] - cur[0] + 1;
      sweep = (scaledSigmoid(-(cur[1] - i + 1) / width) * cost.tpWeight) / maxTP;
      win = windowBase + w;
    } else if (prevRight < 0) {
      sweep = -1 * cost.fpWeight;
    } else {
      sweep = scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1)) * cost.fpWeight;
    }
    if (i >= prob) out.push({ score: s.scores[i]!, sweep, window: win });
    if (cur && i === cur[1]) {
      prevRight = i;
      prevWidth = cur[1] - cur[0] + 1;
      w++;
    }
  }
  return ranges.length;
}

/**
 * Scores a corpus under one profile: sweeps every distinct threshold, keeps the best
 * (as NAB's optimizer does over the whole corpus), and normalises.
 */
export function nabScore(corpus: readonly NabSeries[], cost: CostProfile): NabResult {
  const pts: Point[] = [];
  let windows = 0;
  for (const s of corpus) {
    if (s.scores.length !== s.timestamps.length) throw new RangeError(`${s.name}: scores and timestamps differ in length`);
    windows += sweepPoints(s, cost, windows, pts);
  }
  // windows whose rows all fell in the probationary period are still counted as NAB does
  // (they can only be missed); count the windows seen among scored points for detection.
  const order = pts.map((_, i) => i).sort((a, b) => pts[b]!.score - pts[a]!.score || a - b);
  const best = new Float64Array(windows).fill(Number.NaN);
  let tpScore = 0;
  let fpScore = 0;
  let detected = 0;
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  let bestRes = { threshold, raw: -cost.fnWeight * windows, tp: 0, fp: 0, detected: 0 };
  const record = () => {
    const raw = tpScore + fpScore - cost.fnWeight * (windows - detected);
    if (raw > bestRes.raw) bestRes = { threshold, raw, tp, fp, detected };
  };
  for (const k of order) {
    const p = pts[k]!;
    if (p.score !== threshold) {
      record();
      threshold = p.score;
    }
    if (p.window >= 0) {
      tp++;
      const prev = best[p.window]!;
      if (Number.isNaN(prev)) {
        best[p.window] = p.sweep;
        tpScore += p.sweep;
        detected++;
      } else if (p.sweep > prev) {
        tpScore += p.sweep - prev;
        best[p.window] = p.sweep;
      }
    } else {
      fp++;
      fpScore += p.sweep;
    }
  }
  record();
  const nullRaw = -cost.fnWeight * windows;
  const perfectRaw = cost.tpWeight * windows;
  return {
    threshold: bestRes.threshold,
    raw: bestRes.raw,
    score: (100 * (bestRes.raw - nullRaw)) / (perfectRaw - nullRaw),
    tp: bestRes.tp,
    fp: bestRes.fp,
    fn: windows - bestRes.detected,
    windows,
  };
}

/** Parses NAB timestamps ("2014-04-10 07:15:00" or with ".000000") as UTC epoch ms. */
export function parseNabTime(s: string): number {
  // fast path for the fixed "YYYY-MM-DD HH:MM:SS[.ffffff]" layout
  if (s.length >= 19 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 32) {
    const t = Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10), +s.slice(11, 13), +s.slice(14, 16), +s.slice(17, 19));
    if (!Number.isNaN(t)) return t;
  }
  const t = Date.parse(s.trim().replace(' ', 'T').replace(/(\.\d{3})\d+$/, '$1') + 'Z');
  if (Number.isNaN(t)) throw new RangeError(`bad NAB timestamp ${JSON.stringify(s)}`);
  return t;
}
