// Text diffs of objects for live-diff and GitOps previews: normalised YAML, line LCS, unified output.

import { stringify } from 'yaml';

const VOLATILE_META = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

/** Drop what the server owns or changes on every write so diffs show intent, not noise. */
export function normalizeForDiff(obj: Record<string, unknown>): Record<string, unknown> {
  const o = JSON.parse(JSON.stringify(obj)) as Record<string, any>;
  delete o.status;
  if (o.metadata) {
    for (const k of VOLATILE_META) delete o.metadata[k];
    if (o.metadata.annotations && Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  }
  return o;
}

export function toYaml(obj: unknown, sorted = false): string {
  return stringify(obj, { sortMapEntries: sorted, lineWidth: 0 });
}

/** Unified diff of two texts (3 lines of context); empty when equal. */
export function unifiedDiff(a: string, b: string, from = 'live', to = 'desired'): string {
  if (a === b) return '';
  const x = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const y = b === '' ? [] : b.replace(/\n$/, '').split('\n');
  const n = x.length;
  const m = y.length;
  // LCS table; object YAML stays in the hundreds of lines, so O(n·m) is fine.
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const ops: Array<{ t: ' ' | '-' | '+'; s: string; ai: number; bi: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) ops.push({ t: ' ', s: x[i], ai: i++, bi: j++ });
    else if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) ops.push({ t: '+', s: y[j], ai: i, bi: j++ });
    else ops.push({ t: '-', s: x[i], ai: i++, bi: j });
  }
  const out = [`--- ${from}`, `+++ ${to}`];
  const ctx = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k].t === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - ctx);
    let end = k;
    // Extend the hunk while changes are within 2*ctx of each other.
    while (end < ops.length) {
      if (ops[end].t !== ' ') {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run].t === ' ') run++;
      if (end + run >= ops.length || run > ctx * 2) {
        end = Math.min(ops.length, end + ctx);
        break;
      }
      end += run;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai + 1;
    const bStart = hunk[0].bi + 1;
    const aLen = hunk.filter((h) => h.t !== '+').length;
    const bLen = hunk.filter((h) => h.t !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart - 1 : aStart},${aLen} +${bLen === 0 ? bStart - 1 : bStart},${bLen} @@`);
    for (const h of hunk) out.push(`${h.t}${h.s}`);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
