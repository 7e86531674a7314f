// `npm run bench:aiops`: the AIOps figures beside the published anchors.
//   log templates: GA per Loghub-2k system (Drain, Brain beside), average, lines/s
//   anomalies: NAB score (3 profiles) of our detectors beside the scoreboard; scorer check first
//   periodicity: CRAN-55 accuracy exact / ±20 %, points/s (LS and Huber periodograms)
//   RCA: AC@1, AC@3, Avg@5 on Sock Shop beside BARO / NSigma / RCD
import { cpus, loadavg } from 'node:os';
import {
  forecast,
  LogTemplateMiner,
  createDetector,
  detectPeriods,
  detectSeries,
  groupingAccuracy,
  nabScore,
  NAB_PROFILES,
  rankRootCauses,
  rcaAccuracy,
  type NabSeries,
  type RcaMethod,
} from '../src/index.js';
import { BRAIN_GA, DRAIN_GA, LOGHUB_SYSTEMS, loadCran55, loadLoghub, loadNab, loadNabFinalResults, loadSockShop, loadWindowedGaussianScores } from '../test/fixtures.js';

const only = process.argv.slice(2);
console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start (speeds are single-threaded wall time unless noted).\n`);
const want = (s: string) => only.length === 0 || only.includes(s);
const f3 = (v: number) => v.toFixed(3);
const f4 = (v: number) => v.toFixed(4);
const pad = (s: string | number, n: number) => String(s).padEnd(n);

function table(header: string[], rows: (string | number)[][]): void {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  console.log('| ' + header.map((h, i) => pad(h, w[i]!)).join(' | ') + ' |');
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const r of rows) console.log('| ' + r.map((c, i) => pad(c, w[i]!)).join(' | ') + ' |');
  console.log();
}

if (want('logs')) {
  console.log('## Log template mining: Loghub-2k grouping accuracy (one configuration)\n');
  const rows: (string | number)[][] = [];
  let sum = 0;
  let sumCorr = 0;
  let sumDrain = 0;
  let sumBrain = 0;
  const all: string[] = [];
  for (const s of LOGHUB_SYSTEMS) {
    const { content, eventId } = loadLoghub(s);
    const corr = loadLoghub(s, true).eventId;
    const m = new LogTemplateMiner();
    const ids = content.map((l) => m.add(l, 0).templateId);
    const pred = ids.map((i) => m.resolve(i).id);
    const ga = groupingAccuracy(pred, eventId);
    const gaC = groupingAccuracy(pred, corr);
    sum += ga;
    sumCorr += gaC;
    sumDrain += DRAIN_GA[s]!;
    sumBrain += BRAIN_GA[s]!;
    all.push(...content);
    rows.push([s, f4(ga), f4(gaC), f4(DRAIN_GA[s]!), f4(BRAIN_GA[s]!), m.templates().length]);
  }
  const n = LOGHUB_SYSTEMS.length;
  rows.push(['**Average**', f4(sum / n), f4(sumCorr / n), f4(sumDrain / n), f4(sumBrain / n), '']);
  table(['System', 'GA (ours)', 'GA corrected labels', 'Drain (tuned per set)', 'Brain', 'templates'], rows);
  // throughput: all fixture lines, single thread, best of 5 passes (each system a fresh miner).
  // CPU time is reported beside wall time: the sandbox is shared, and wall time swings with load.
  let best = Infinity;
  let bestCpu = Infinity;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < LOGHUB_SYSTEMS.length; k++) {
      const m = new LogTemplateMiner();
      for (let i = k * 2000; i < (k + 1) * 2000; i++) m.add(all[i]!, 0);
    }
    best = Math.min(best, performance.now() - t0);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  }
  // a longer stream: the 16k lines replayed 20 times into one miner (steady state)
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const big = new LogTemplateMiner();
  for (let r = 0; r < 20; r++) for (const l of all) big.add(l, 0);
  const ms = performance.now() - t1;
  const c2 = process.cpuUsage(c1);
  const cpuMs = (c2.user + c2.system) / 1000;
  const rate = (lines: number, t: number) => Math.round((lines / t) * 1000).toLocaleString('en');
  console.log(
    `Throughput, single thread: ${rate(all.length, best)} lines/s wall, ${rate(all.length, bestCpu)} lines per CPU-second (8 × 2k sets, fresh miners); ` +
      `${rate(20 * all.length, ms)} lines/s wall, ${rate(20 * all.length, cpuMs)} per CPU-second (${(20 * all.length).toLocaleString('en')} lines into one miner). ` +
      `Load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores. Drain3 (Python) ≈ 14k lines/s.\n`,
  );
}

if (want('nab')) {
  console.log('## Anomaly detection: NAB v1.1 (58 series)\n');
  const files = loadNab();
  const wg: NabSeries[] = files.map((f) => ({ name: f.name, timestamps: f.timestamps, windows: f.windows, scores: loadWindowedGaussianScores(f.name) }));
  const published = loadNabFinalResults();
  const profiles = Object.keys(NAB_PROFILES) as (keyof typeof NAB_PROFILES)[];
  const rows: (string | number)[][] = [];
  const wgScores = profiles.map((p) => nabScore(wg, NAB_PROFILES[p]).score);
  rows.push(['windowedGaussian, published output re-scored by our scorer port', ...wgScores.map((v) => v.toFixed(2)), '']);
  for (const det of ['novelty', 'nsigma']) {
    const t0 = performance.now();
    const corpus = files.map((f) => ({ name: f.name, timestamps: f.timestamps, windows: f.windows, scores: detectSeries(createDetector(det), f.values, f.timestamps) }));
    const ms = performance.now() - t0;
    const points = files.reduce((p, f) => p + f.values.length, 0);
    rows.push([`**${det} (ours)**`, ...profiles.map((p) => nabScore(corpus, NAB_PROFILES[p]).score.toFixed(2)), `${Math.round((points / ms) * 1000).toLocaleString('en')} pts/s`]);
  }
  for (const [name, label] of [
    ['ARTime', 'ARTime (published)'],
    ['numenta', 'Numenta HTM (published)'],
    ['contextOSE', 'CAD OSE (published)'],
    ['knncad', 'KNN CAD (published)'],
    ['windowedGaussian', 'Windowed Gaussian (published)'],
  ] as const) {
    const r = published[name];
    if (r) rows.push([label, r.standard!.toFixed(2), r.reward_low_FP_rate!.toFixed(2), r.reward_low_FN_rate!.toFixed(2), '']);
  }
  table(['Detector', 'standard', 'reward_low_FP', 'reward_low_FN', 'speed'], rows);
}

if (want('periods')) {
  console.log('## Periodicity: CRAN-55 season lengths (top period)\n');
  const cases = loadCran55();
  const rows: (string | number)[][] = [];
  for (const pg of ['ls', 'huber'] as const) {
    let ex = 0;
    let tol = 0;
    let any = 0;
    let pts = 0;
    const t0 = performance.now();
    for (const c of cases) {
      const r = detectPeriods(c.values, { periodogram: pg });
      pts += c.values.length;
      const t = c.truth[0]!;
      const top = r[0]?.period;
      if (top === t) ex++;
      if (top !== undefined && Math.abs(top - t) <= 0.2 * t) tol++;
      if (r.some((d) => Math.abs(d.period - t) <= 0.2 * t)) any++;
    }
    const ms = performance.now() - t0;
    rows.push([`**ours, ${pg} periodogram**`, cases.length, f3(ex / cases.length), f3(tol / cases.length), f3(any / cases.length), `${Math.round((pts / ms) * 1000).toLocaleString('en')} pts/s`]);
  }
  rows.push(['SREWorks tfPeriod, LS (measured in the research note)', 55, '0.618', '0.691', '0.745', '41k pts/s']);
  rows.push(['SREWorks tfPeriod, Huber (measured in the research note)', 55, '0.636', '0.709', '0.764', '61 pts/s']);
  table(['Method', 'n', 'acc exact', 'acc ±20 %', 'any ±20 %', 'throughput'], rows);
}

if (want('forecast')) {
  console.log('## Forecasting: CRAN-55, hold out the last season (period detected, not given)\n');
  let wins = 0;
  let n = 0;
  let inside = 0;
  let total = 0;
  let maseSum = 0;
  const t0 = performance.now();
  for (const c of loadCran55()) {
    const m = c.truth[0]!;
    const x = c.values;
    if (x.length < 4 * m) continue;
    const train = x.slice(0, -m);
    const test = x.slice(-m);
    const f = forecast(train, m);
    const naive = test.map((_, i) => train[train.length - m + (i % m)]!);
    const err = test.reduce((p, v, i) => p + Math.abs(v - f.mean[i]!), 0);
    const errNaive = test.reduce((p, v, i) => p + Math.abs(v - naive[i]!), 0);
    if (err < errNaive) wins++;
    maseSum += errNaive > 0 ? err / errNaive : 1;
    n++;
    test.forEach((v, i) => {
      total++;
      if (v >= f.lower[i]! && v <= f.upper[i]!) inside++;
    });
  }
  const ms = performance.now() - t0;
  table(
    ['Holt-Winters (damped, additive)', 'series', 'beats seasonal naive', 'mean error ratio vs naive', '95 % interval coverage', 'time'],
    [['ours', n, `${wins} / ${n}`, f3(maseSum / n), f3(inside / total), `${(ms / n).toFixed(1)} ms/series`]],
  );
}

if (want('rca')) {
  console.log('## Root-cause analysis: Sock Shop (RCAEval "Sock Shop 1", CPU and MEM faults)\n');
  const cases = loadSockShop();
  // Sock Shop call graph (front-end → services → their databases / queue)
  const dependsOn = {
    'front-end': ['carts', 'catalogue', 'orders', 'user'],
    orders: ['carts', 'payment', 'shipping', 'user', 'orders-db'],
    carts: ['carts-db'],
    catalogue: ['catalogue-db'],
    user: ['user-db'],
    shipping: ['rabbitmq'],
    'queue-master': ['rabbitmq'],
  };
  const rows: (string | number)[][] = [];
  const variants: [string, RcaMethod, number | undefined, boolean][] = [
    ['NSigma (our port, scikit-learn scaling)', 'nsigma', undefined, false],
    ['BARO (our port, scikit-learn scaling)', 'baro', undefined, false],
    ['NSigma + 1 % relative scale floor', 'nsigma', 0.01, false],
    ['BARO + 1 % relative scale floor', 'baro', 0.01, false],
    ['**combined (ours, default)**', 'combined', undefined, false],
    ['**combined + topology**', 'combined', undefined, true],
  ];
  for (const [label, method, floor, topo] of variants) {
    const t0 = performance.now();
    const res = cases.map((c) => ({ truth: c.truth, ranked: rankRootCauses({ ...c, dependsOn: topo ? dependsOn : undefined }, { method, minRelativeScale: floor }).map((r) => r.service) }));
    const ms = (performance.now() - t0) / cases.length;
    const a = rcaAccuracy(res);
    rows.push([label, f3(a.ac[0]!), f3(a.ac[2]!), f3(a.avg), `${ms.toFixed(2)} ms/case`]);
  }
  rows.push(['BARO (published, Avg@5 CPU/MEM)', '', '', '0.99 / 0.99', '0.01 s/case']);
  rows.push(['NSigma (published)', '', '', '0.98 / 0.99', '0.01 s/case']);
  rows.push(['RCD (published)', '', '', '0.63 / 0.66', '']);
  table([`Method (${cases.length} cases)`, 'AC@1', 'AC@3', 'Avg@5', 'time'], rows);
}
