// Online log template mining in the Drain family (He et al., ICWS'17) with the generalisations
// that make one configuration work across systems (in the spirit of Brain, Yu et al. 2023):
//  - masking is structural, not per-dataset: any token holding a digit, a hex run, an IP, a path
//    or a URL is a parameter;
//  - the prefix tree is keyed by token count and the first constant token, so a variable first
//    word (host, user) does not split groups;
//  - a run of adjacent parameters collapses into one <*>, so messages whose variable part has a
//    varying number of tokens ("IRQs 3 4 5", lists of hosts) keep one token count and one group;
//  - similarity is Drain's (equal constant positions / length) and a cluster generalises as
//    parameters vary; the distinct values seen per position are kept (capped) for inspection.
// State is plain data (toJSON/fromJSON) so a miner can be persisted and resumed.

export const WILDCARD = '<*>';

export interface LogTemplateOptions {
  /** share of constant positions that must match to join a cluster (Drain's st). */
  similarity?: number;
  /** distinct values at one position before it is treated as a parameter. */
  maxDistinct?: number;
  /** tokens kept per line; longer lines are truncated (protects against 100 KB lines). */
  maxTokens?: number;
  /** clusters compared per line (the most recent of its bucket). */
  maxCandidates?: number;
  /** width of the time buckets of pattern counts, in ms. */
  bucketMs?: number;
  /** number of buckets kept per template. */
  maxBuckets?: number;
}

export interface LogTemplate {
  id: number;
  template: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface NewPatternEvent {
  template: LogTemplate;
  line: string;
}

export interface AddResult {
  templateId: number;
  template: string;
  isNew: boolean;
}

interface Cluster {
  id: number;
  tokens: string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** distinct values seen per position (capped); undefined entries are already parameters. */
  values: (string[] | null)[];
  /** bucket start (ms) -> count */
  buckets: [number, number][];
}

export interface LogTemplateState {
  version: 1;
  options: Required<LogTemplateOptions>;
  clusters: Cluster[];
  lines: number;
}

const DEFAULTS: Required<LogTemplateOptions> = {
  similarity: 0.5,
  maxDistinct: 6,
  maxTokens: 256,
  maxCandidates: 256,
  bucketMs: 60_000,
  maxBuckets: 1440,
};

/** True for tokens that are parameters by their shape alone. */
export function isVariableToken(t: string): boolean {
  if (t === WILDCARD) return true;
  const n = t.length;
  let hexLetters = 0;
  let hexOnly = true;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return true; // any digit
    if ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)) hexLetters++;
    else hexOnly = false;
  }
  if (n > 1 && t.charCodeAt(0) === 47 && t.indexOf('/', 1) > 0) return true; // /a/b path
  if (t.indexOf('://') > 0) return true; // URL
  // long pure-hex runs without digits are rare; keep short ones (e.g. "add", "bad") as words
  if (hexOnly && hexLetters >= 16) return true;
  return false;
}

// Whitespace, ',' and ';' separate tokens; '=' separates too and is kept as its own token so
// "size=42" becomes "size", "=", "<*>" and the key stays constant. Brackets do not split: labels
// treat "LOCAL(0)" as one value, and splitting it would change the token count.

/** Tokenises and masks one message; returns the token list the miner clusters on. */
export function tokenize(line: string, maxTokens = DEFAULTS.maxTokens): string[] {
  const out: string[] = [];
  let start = -1;
  const n = line.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? line.charCodeAt(i) : 32;
    // whitespace and structural punctuation end a token
    const sep =
      c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 59 || c === 61;
    if (sep) {
      if (start >= 0) {
        push(out, line.slice(start, i));
        start = -1;
        if (out.length >= maxTokens) break;
      }
      if (c === 61 && out.length < maxTokens) out.push('=');
    } else if (start < 0) start = i;
  }
  return out;
}


function push(out: string[], tok: string): void {
  // a trailing colon belongs to the key ("user:"), keep it on a constant but not on a value
  if (isVariableToken(tok)) {
    if (out.length > 0 && out[out.length - 1] === WILDCARD) return; // collapse runs of parameters
    out.push(WILDCARD);
  } else out.push(tok);
}

/** Streaming template miner. */
export class LogTemplateMiner {
  readonly options: Required<LogTemplateOptions>;
  private clusters: Cluster[] = [];
  /** length|firstConstant -> cluster ids */
  private index = new Map<string, number[]>();
  private lines = 0;
  private listeners: ((e: NewPatternEvent) => void)[] = [];

  constructor(options: LogTemplateOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    if (!(this.options.similarity > 0 && this.options.similarity <= 1)) throw new RangeError('similarity must be in (0, 1]');
  }

  /** Registers a callback raised once per new template. */
  onNewPattern(fn: (e: NewPatternEvent) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((f) => f !== fn);
    };
  }

  get lineCount(): number {
    return this.lines;
  }

  /** Adds one message; `time` (ms) feeds the per-template counts over time. */
  add(line: string, time: number = Date.now()): AddResult {
    this.lines++;
    const tokens = tokenize(line, this.options.maxTokens);
    const key = this.keyOf(tokens);
    let ids = this.index.get(key);
    if (!ids) {
      ids = [];
      this.index.set(key, ids);
    }
    let best: Cluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    // compare with the most recent clusters of the bucket only: bounded work per line even when
    // a bucket fills with distinct messages (Drain bounds it with max_children)
    const from = Math.max(0, ids.length - this.options.maxCandidates);
    for (let k = ids.length - 1; k >= from; k--) {
      const c = this.clusters[ids[k]!]!;
      const [sim, params] = similarity(c.tokens, tokens);
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    if (best && bestSim >= this.options.similarity) {
      this.absorb(best, tokens, time);
      return { templateId: best.id, template: best.tokens.join(' '), isNew: false };
    }
    const c: Cluster = {
      id: this.clusters.length,
      tokens: tokens.slice(),
      count: 0,
      firstSeen: time,
      lastSeen: time,
      values: tokens.map((t) => (t === WILDCARD ? null : [t])),
      buckets: [],
    };
    this.clusters.push(c);
    ids.push(c.id);
    this.count(c, time);
    const template = c.tokens.join(' ');
    if (this.listeners.length) {
      const ev = { template: this.describe(c), line };
      for (const fn of this.listeners) fn(ev);
    }
    return { templateId: c.id, template, isNew: true };
  }

  /** A template as it is now (it may have generalised since a line joined it). */
  resolve(templateId: number): LogTemplate {
    const c = this.clusters[templateId];
    if (!c) throw new RangeError(`unknown template id ${templateId}`);
    return this.describe(c);
  }

  templates(): LogTemplate[] {
    return this.clusters.map((c) => this.describe(c));
  }

  /** Pattern counts per time bucket for one template (oldest first). */
  countsOverTime(templateId: number): { start: number; count: number }[] {
    const c = this.clusters[templateId];
    if (!c) throw new RangeError(`unknown template id ${templateId}`);
    return c.buckets.map(([start, count]) => ({ start, count }));
  }

  toJSON(): LogTemplateState {
    return { version: 1, options: this.options, clusters: this.clusters, lines: this.lines };
  }

  static fromJSON(state: LogTemplateState): LogTemplateMiner {
    if (!state || state.version !== 1 || !Array.isArray(state.clusters)) throw new TypeError('not a log template state (version 1)');
    const m = new LogTemplateMiner(state.options);
    m.clusters = state.clusters.map((c) => ({ ...c, tokens: c.tokens.slice(), values: c.values.map((v) => (v ? v.slice() : null)), buckets: c.buckets.map((b) => [b[0], b[1]] as [number, number]) }));
    m.lines = state.lines;
    for (const c of m.clusters) {
      const key = m.keyOf(c.tokens);
      const ids = m.index.get(key) ?? [];
      ids.push(c.id);
      m.index.set(key, ids);
    }
    return m;
  }

  private keyOf(tokens: string[]): string {
    // first constant token among the first two positions; a leading parameter does not split
    const first = tokens[0] !== undefined && tokens[0] !== WILDCARD ? tokens[0] : WILDCARD;
    return tokens.length + '\u0000' + first;
  }

  private absorb(c: Cluster, tokens: string[], time: number): void {
    const t = c.tokens;
    const maxDistinct = this.options.maxDistinct;
    for (let i = 0; i < t.length; i++) {
      const vals = c.values[i];
      if (!vals) continue;
      const tok = tokens[i]!;
      if (tok === WILDCARD) {
        t[i] = WILDCARD;
        c.values[i] = null;
        continue;
      }
      if (vals.indexOf(tok) < 0) {
        t[i] = WILDCARD;
        if (vals.length < maxDistinct) vals.push(tok);
      }
    }
    this.count(c, time);
  }

  private count(c: Cluster, time: number): void {
    c.count++;
    if (time < c.firstSeen) c.firstSeen = time;
    if (time > c.lastSeen) c.lastSeen = time;
    const start = Math.floor(time / this.options.bucketMs) * this.options.bucketMs;
    const last = c.buckets[c.buckets.length - 1];
    if (last && last[0] === start) last[1]++;
    else {
      c.buckets.push([start, 1]);
      if (c.buckets.length > this.options.maxBuckets) c.buckets.shift();
    }
  }

  private describe(c: Cluster): LogTemplate {
    return { id: c.id, template: c.tokens.join(' '), count: c.count, firstSeen: c.firstSeen, lastSeen: c.lastSeen };
  }
}

/** Drain's simSeq: [equal constant positions / length, number of parameters]. */
function similarity(template: string[], tokens: string[]): [number, number] {
  let same = 0;
  let params = 0;
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    if (t === WILDCARD) params++;
    else if (t === tokens[i]) same++;
  }
  const n = template.length;
  return [n === 0 ? 1 : same / n, params];
}
