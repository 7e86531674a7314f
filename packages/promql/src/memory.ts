// An in-memory Queryable: the reference store for tests and benchmarks (and for other packages' tests).
import { compileRegex } from './parser/parse.js';
import type { Labels, Matcher, Queryable, SelectHints, SeriesData } from './storage.js';
import { labelsKey, normLabels } from './value.js';

interface MemSeries {
  labels: Labels;
  ts: number[];
  vs: number[];
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

  /** Appends one sample; samples of a series must arrive in time order (a same-time sample replaces). */
  add(labels: Labels, timestampMs: number, value: number): void {
    const l = normLabels(labels);
    const k = labelsKey(l);
    let s = this.data.get(k);
    if (!s) this.data.set(k, (s = { labels: l, ts: [], vs: [] }));
    const last = s.ts.length - 1;
    if (last >= 0 && s.ts[last]! === timestampMs) {
      s.vs[last] = value;
      return;
    }
    if (last >= 0 && s.ts[last]! > timestampMs) {
      // rare out-of-order load: insert in place
      let i = s.ts.length;
      while (i > 0 && s.ts[i - 1]! > timestampMs) i--;
      if (s.ts[i - 1] === timestampMs) s.vs[i - 1] = value;
      else {
        s.ts.splice(i, 0, timestampMs);
        s.vs.splice(i, 0, value);
      }
      return;
    }
    s.ts.push(timestampMs);
    s.vs.push(value);
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
