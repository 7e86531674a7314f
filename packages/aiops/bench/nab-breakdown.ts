// Where a detector's NAB score is lost: per series, at the corpus-wide threshold NAB's optimiser
// picks, the windows caught and missed and the false positives, and each series' share of the
// raw score. `npx tsx packages/aiops/bench/nab-breakdown.ts [detector] [options JSON] [profile]`
import { createDetector, detectSeries, nabScore, NAB_PROFILES, probationaryLength, scaledSigmoid } from '../src/index.js';
import { loadNab } from '../test/fixtures.js';

const det = process.argv[2] ?? 'novelty';
const opts = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>;
const profile = (process.argv[4] ?? 'standard') as keyof typeof NAB_PROFILES;
const cost = NAB_PROFILES[profile];
const files = loadNab();
const t0 = performance.now();
const corpus = files.map((f) => ({ name: f.name, timestamps: f.timestamps, windows: f.windows, scores: detectSeries(createDetector(det, opts), f.values, f.timestamps) }));
const ms = performance.now() - t0;
const res = nabScore(corpus, cost);
const thr = res.threshold;
console.log(`${det} ${JSON.stringify(opts)} ${profile}: score ${res.score.toFixed(2)} threshold ${thr} tp ${res.tp} fp ${res.fp} fn ${res.fn}/${res.windows} (${ms.toFixed(0)} ms)`);

const rows: [string, number, number, number, number, string][] = [];
let total = 0;
for (const s of corpus) {
  const n = s.timestamps.length;
  const prob = probationaryLength(n);
  const ranges = s.windows
    .map(([a, b]) => {
      const idx = s.timestamps.map((t, i) => (t >= a && t <= b ? i : -1)).filter((i) => i >= 0);
      return [idx[0]!, idx[idx.length - 1]!] as [number, number];
    })
    .filter((r) => r[0] !== undefined);
  let raw = 0;
  let fps = 0;
  let caught = 0;
  const detail: string[] = [];
  ranges.forEach(([l, r]) => {
    let first = -1;
    for (let i = Math.max(l, prob); i <= r; i++) if (s.scores[i]! >= thr) { first = i; break; }
    if (first >= 0) {
      caught++;
      raw += scaledSigmoid(-(r - first + 1) / (r - l + 1)) * cost.tpWeight / scaledSigmoid(-1);
      detail.push(`W[${l}-${r}]@${first}`);
    } else {
      raw -= cost.fnWeight;
      detail.push(`W[${l}-${r}]MISS`);
    }
  });
  let prevRight = -1;
  let prevWidth = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const cur = w < ranges.length && i >= ranges[w]![0] ? ranges[w] : undefined;
    if (!cur && i >= prob && s.scores[i]! >= thr) {
      fps++;
      const sw = prevRight < 0 ? -cost.fpWeight : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1)) * cost.fpWeight;
      raw += sw;
      detail.push(`FP@${i}(${sw.toFixed(2)})`);
    }
    if (cur && i === cur[1]) {
      prevRight = i;
      prevWidth = cur[1] - cur[0] + 1;
      w++;
    }
  }
  total += raw;
  rows.push([s.name, ranges.length, caught, fps, raw, detail.join(' ')]);
}
rows.sort((a, b) => a[4] - b[4]);
for (const r of rows) console.log(`${r[4].toFixed(2).padStart(6)} ${String(r[2]).padStart(2)}/${r[1]} fp ${String(r[3]).padStart(3)}  ${r[0].padEnd(55)} ${r[5].slice(0, 300)}`);
console.log(`raw total ${total.toFixed(2)} (scorer ${res.raw.toFixed(2)})`);
