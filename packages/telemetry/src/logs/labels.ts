import { InputError } from '@sreworks/kernel';
import type { LabelMatcher, Labels } from './types.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** Loki's rule: names match [a-zA-Z_][a-zA-Z0-9_]*, values are valid UTF-8, at least one label. */
export function validateLabels(labels: Labels, field: string, maxValueBytes = 2048): void {
  const names = Object.keys(labels);
  if (names.length === 0) throw new InputError('a stream needs at least one label', { field }, 'LOGS_LABELS_EMPTY');
  for (const n of names) {
    if (!isValidLabelName(n) || n.startsWith('__')) {
      throw new InputError(`invalid label name "${n}": must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __`, { field: `${field}.${n}` }, 'LOGS_LABEL_NAME');
    }
    const v = labels[n];
    if (typeof v !== 'string') throw new InputError(`label "${n}" must be a string`, { field: `${field}.${n}` }, 'LOGS_LABEL_VALUE');
    if (Buffer.byteLength(v) > maxValueBytes) throw new InputError(`label "${n}" value is longer than ${maxValueBytes} bytes`, { field: `${field}.${n}` }, 'LOGS_LABEL_VALUE');
  }
}

/** Canonical identity of a label set: sorted names, JSON-encoded. */
export function labelsKey(labels: Labels): string {
  const sorted: Labels = {};
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k]!;
  return JSON.stringify(sorted);
}

/** Prometheus text form, `{a="x", b="y"}` (what Loki shows and expects in push protobuf). */
export function labelsString(labels: Labels): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}

const regexCache = new Map<string, RegExp>();

/** Matchers are fully anchored, as in Prometheus and Loki. */
export function anchoredRegex(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`, 's');
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

export function matchesOne(m: LabelMatcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return anchoredRegex(m.value).test(v);
    case '!~':
      return !anchoredRegex(m.value).test(v);
  }
}

export function matchesAll(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  for (const m of matchers) if (!matchesOne(m, labels[m.name])) return false;
  return true;
}

/** Loki refuses selectors that would match every stream: at least one matcher must not match "". */
export function checkSelectorNotEmpty(matchers: readonly LabelMatcher[], field = 'query'): void {
  if (!matchers.some((m) => !matchesOne(m, ''))) {
    throw new InputError('queries require at least one label matcher that does not match the empty string, e.g. {app="x"} or {app=~".+"}', { field }, 'LOGQL_EMPTY_SELECTOR');
  }
}
