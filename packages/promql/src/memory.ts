// An in-memory Queryable: the reference store for tests and benchmarks (and for other packages' tests).
import { compileRegex } from './parser/parse.js';
import type { Labels, Matcher, Queryable, SelectHints, SeriesData } from './storage.js';
import { labelsKey, normLabels } from './value.js';

// Values live in a Float64Array: V8 canonicalizes NaN payloads stored in ordinary arrays, which
// would turn Prometheus' stale marker into a plain NaN.
interface MemSeries {
  labels: Labels;
  ts: number[];
  vs: Float64Array;
}

function grow(s: MemSeries): void {
  if (s.ts.length < s.vs.length) return;
  const n = new Float64Array(Math.max(16, s.vs.length * 2));
  n.set(s.vs);
  s.vs = n;
}

export function matchLabel(m: Matcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.type) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return compileRegex(m.value).test(v);
    case '!~': return !compileRegex(m.value).test(v);
  }
}

export class MemoryQueryable implements Queryable {
  private readonly data = new Map<string, MemSeries>();
  /** every select() call, for tests that check the engine fetches once per selector. */
  readonly selects: { matchers: Matcher[]; startMs: number; endMs: number; hints?: SelectHints }[] = [];

  /** Adds one sample; a sample at an existing time replaces it. Appends in time order are O(1). */
  add(labels: Labels, timestampMs: number, value: number): void {
    const l = normLabels(labels);
    const k = labelsKey(l);
    let s = this.data.get(k);
    if (!s) this.data.set(k, (s = { labels: l, ts: [], vs: new Float64Array(16) }));
    const n = s.ts.length;
    if (n > 0 && s.ts[n - 1]! >= timestampMs) {
      const i = lowerBound(s.ts, timestampMs);
      if (s.ts[i] === timestampMs) {
        s.vs[i] = value;
        return;
      }
      // rare out-of-order load: insert in place
      grow(s);
      s.vs.copyWithin(i + 1, i, n);
      s.ts.splice(i, 0, timestampMs);
      s.vs[i] = value;
      return;
    }
    grow(s);
    s.vs[n] = value;
    s.ts.push(timestampMs);
  }

  clear(): void {
    this.data.clear();
    this.selects.length = 0;
  }

  get size(): number {
    return this.data.size;
  }

  private matching(matchers: Matcher[]): MemSeries[] {
    const out: MemSeries[] = [];
    for (const s of this.data.values()) if (matchers.every((m) => matchLabel(m, s.labels[m.name]))) out.push(s);
    return out;
  }

  select(matchers: Matcher[], startMs: number, endMs: number, hints?: SelectHints): Promise<SeriesData[]> {
    this.selects.push({ matchers, startMs, endMs, ...(hints ? { hints } : {}) });
    const out: SeriesData[] = [];
    for (const s of this.matching(matchers)) {
      const lo = lowerBound(s.ts, startMs);
      const hi = lowerBound(s.ts, endMs + 1);
      if (hi <= lo) continue;
      out.push({ labels: s.labels, timestamps: s.ts.slice(lo, hi), values: s.vs.slice(lo, hi) });
    }
    return Promise.resolve(out);
  }

  private inRange(s: MemSeries, startMs: number, endMs: number): boolean {
    return lowerBound(s.ts, endMs + 1) > lowerBound(s.ts, startMs);
  }

  labelNames(matchers: Matcher[], startMs: number, endMs: number): Promise<string[]> {
    const names = new Set<string>();
    const src = matchers.length ? this.matching(matchers) : [...this.data.values()];
    for (const s of src) if (this.inRange(s, startMs, endMs)) for (const n in s.labels) names.add(n);
    return Promise.resolve([...names].sort());
  }

  labelValues(name: string, matchers: Matcher[], startMs: number, endMs: number): Promise<string[]> {
    const vals = new Set<string>();
    const src = matchers.length ? this.matching(matchers) : [...this.data.values()];
    for (const s of src) if (s.labels[name] !== undefined && this.inRange(s, startMs, endMs)) vals.add(s.labels[name]!);
    return Promise.resolve([...vals].sort());
  }

  series(matchers: Matcher[], startMs: number, endMs: number): Promise<Labels[]> {
    return Promise.resolve(this.matching(matchers).filter((s) => this.inRange(s, startMs, endMs)).map((s) => s.labels));
  }
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
