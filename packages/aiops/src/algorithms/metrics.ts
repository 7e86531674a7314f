// Evaluation measures used by the benchmark and the tests (pure).

/**
 * Grouping accuracy (Zhu et al., ICSE-SEIP'19): a message is right when the set of messages in
 * its predicted group equals the set of messages sharing its true event id.
 */
export function groupingAccuracy(predicted: readonly (string | number)[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new RangeError('predicted and truth differ in length');
  if (predicted.length === 0) return 1;
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string | number, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g) g.push(i);
    else groups.set(p, [i]);
  });
  let right = 0;
  for (const idx of groups.values()) {
    const t0 = truth[idx[0]!]!;
    if (idx.every((i) => truth[i] === t0) && truthSize.get(t0) === idx.length) right += idx.length;
  }
  return right / predicted.length;
}
