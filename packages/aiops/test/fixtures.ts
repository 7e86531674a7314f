// Access to the shared, read-only fixtures (test and bench only). A missing fixture folder is an
// error that names the folder, never a silent skip.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvObjects } from '../src/io/csv.js';
import { parseNabTime } from '../src/algorithms/nab.js';

const here = dirname(fileURLToPath(import.meta.url));

// The project root's sibling `shared/fixtures`; worktrees sit one level deeper, so look upwards.
function findFixtures(): string {
  let dir = resolve(here, '../../..');
  for (let i = 0; i < 4; i++) {
    const c = join(dir, '..', 'shared', 'fixtures');
    if (existsSync(c)) return resolve(c);
    dir = resolve(dir, '..');
  }
  return resolve(here, '../../../../shared/fixtures');
}

export const FIXTURES = process.env.SREWORKS_FIXTURES ?? findFixtures();

export function fixturePath(...parts: string[]): string {
  const p = join(FIXTURES, ...parts);
  if (!existsSync(p)) throw new Error(`fixture missing: ${p} (set SREWORKS_FIXTURES to the shared fixtures folder)`);
  return p;
}

export const LOGHUB_SYSTEMS = ['HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'BGL', 'HPC', 'Thunderbird', 'Apache'] as const;
/** Drain's published GA on Loghub-2k (original labels), logpai/logparser. */
export const DRAIN_GA: Record<string, number> = {
  HDFS: 0.9975, Hadoop: 0.9475, Spark: 0.92, Zookeeper: 0.9665, BGL: 0.9625, HPC: 0.887, Thunderbird: 0.955, Apache: 1.0,
};
/** Brain's published GA on Loghub-2k. */
export const BRAIN_GA: Record<string, number> = {
  HDFS: 0.9975, Hadoop: 0.949, Spark: 0.9975, Zookeeper: 0.9875, BGL: 0.986, HPC: 0.945, Thunderbird: 0.971, Apache: 1.0,
};

export function loadLoghub(system: string, corrected = false): { content: string[]; eventId: string[] } {
  const f = fixturePath('loghub-2k', system, `${system}_2k.log_structured${corrected ? '_corrected' : ''}.csv`);
  const { rows } = parseCsvObjects(readFileSync(f, 'utf8'));
  // corrected labels (Loghub-2.0) keep the old EventIds and fix the template strings: group by
  // the template there, as Loghub-2.0's evaluator does
  return { content: rows.map((r) => r.Content ?? ''), eventId: rows.map((r) => (corrected ? r.EventTemplate : r.EventId) ?? '') };
}

export function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, ext));
    else if (e.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

export interface NabFile {
  name: string;
  timestamps: number[];
  values: number[];
  windows: [number, number][];
}

/** The 58 NAB series with their label windows (optionally only those whose name matches). */
export function loadNab(filter?: (name: string) => boolean): NabFile[] {
  const root = fixturePath('nab');
  const windows = JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, string[][]>;
  const out: NabFile[] = [];
  for (const name of Object.keys(windows).sort()) {
    if (filter && !filter(name)) continue;
    // NAB files are plain `timestamp,value` lines: split directly (much faster than a CSV parser)
    const lines = readFileSync(join(root, 'data', name), 'utf8').split('\n');
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (!l) continue;
      const c = l.indexOf(',');
      timestamps.push(parseNabTime(l.slice(0, c)));
      values.push(Number(l.slice(c + 1)));
    }
    out.push({
      name,
      timestamps,
      values,
      windows: windows[name]!.map((w) => [parseNabTime(w[0]!), parseNabTime(w[1]!)] as [number, number]),
    });
  }
  return out;
}

/** The published windowedGaussian output (anomaly_score column) for one NAB file. */
export function loadWindowedGaussianScores(name: string): number[] {
  const [dir, file] = name.split('/');
  const p = fixturePath('nab', 'results', 'windowedGaussian', dir!, `windowedGaussian_${file}`);
  const lines = readFileSync(p, 'utf8').split('\n');
  const col = lines[0]!.split(',').indexOf('anomaly_score');
  return lines.slice(1).filter((l) => l).map((l) => Number(l.split(',')[col]));
}

/** Published NAB final scores (results/final_results.json). */
export function loadNabFinalResults(): Record<string, Record<string, number>> {
  return JSON.parse(readFileSync(fixturePath('nab', 'results', 'final_results.json'), 'utf8')) as Record<string, Record<string, number>>;
}

export interface PeriodCase {
  name: string;
  values: number[];
  truth: number[];
}

/** CRAN-55 season-length series (`main_length` is the label). */
export function loadCran55(): PeriodCase[] {
  const root = fixturePath('periodicity-cran55', 'datasets', '03_Real2_datasets');
  return listFiles(root, '.json').map((p) => {
    const j = JSON.parse(readFileSync(p, 'utf8')) as { main_length: number[]; ts: (number | null)[] };
    return { name: p.slice(root.length + 1), values: j.ts.map((v) => (v === null ? NaN : Number(v))), truth: j.main_length };
  });
}

export interface RcaCase {
  name: string;
  truth: string;
  fault: string;
  normal: Record<string, number[]>;
  anomalous: Record<string, number[]>;
}

export function columnsOf(text: string): Record<string, number[]> {
  const { header, rows } = parseCsvObjects(text);
  const out: Record<string, number[]> = {};
  for (const h of header) out[h] = rows.map((r) => (r[h] === '' ? NaN : Number(r[h])));
  return out;
}

/** The Sock Shop fault cases: folder `<service>-<fault>/<run>/`. */
export function loadSockShop(): RcaCase[] {
  const root = fixturePath('rca-sockshop', 'sock-shop-data');
  const out: RcaCase[] = [];
  for (const dir of readdirSync(root).sort()) {
    const m = /^(.*)-(cpu|mem|disk|delay|loss)$/.exec(dir);
    if (!m) continue;
    for (const run of readdirSync(join(root, dir)).sort()) {
      const base = join(root, dir, run);
      out.push({
        name: `${dir}/${run}`,
        truth: m[1]!,
        fault: m[2]!,
        normal: columnsOf(readFileSync(join(base, 'normal.csv'), 'utf8')),
        anomalous: columnsOf(readFileSync(join(base, 'anomalous.csv'), 'utf8')),
      });
    }
  }
  return out;
}

/** The published windowedGaussian corpus straight from its result files (timestamps and scores). */
export function loadWindowedGaussianCorpus(): { name: string; timestamps: number[]; scores: number[]; windows: [number, number][] }[] {
  const root = fixturePath('nab');
  const windows = JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, string[][]>;
  return Object.keys(windows)
    .sort()
    .map((name) => {
      const [dir, file] = name.split('/');
      const lines = readFileSync(fixturePath('nab', 'results', 'windowedGaussian', dir!, `windowedGaussian_${file}`), 'utf8').split('\n');
      const col = lines[0]!.split(',').indexOf('anomaly_score');
      const timestamps: number[] = [];
      const scores: number[] = [];
      for (let i = 1; i < lines.length; i++) {
        const l = lines[i]!;
        if (!l) continue;
        const parts = l.split(',', col + 1);
        timestamps.push(parseNabTime(parts[0]!));
        scores.push(Number(parts[col]));
      }
      return { name, timestamps, scores, windows: windows[name]!.map((w) => [parseNabTime(w[0]!), parseNabTime(w[1]!)] as [number, number]) };
    });
}
