// Label rules, canonical series keys and matcher evaluation shared by every store.
import { createHash } from 'node:crypto';
import { InputError } from '@sreworks/kernel';
import type { Labels, Matcher } from '@sreworks/promql';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isValidLabelName(n: string): boolean {
  return LABEL_NAME.test(n);
}
export function isValidMetricName(n: string): boolean {
  return METRIC_NAME.test(n);
}

/**
 * Checks a label set as Prometheus does on ingestion: a metric name, valid label names, no
 * empty values (an empty value means "absent" and is dropped), no duplicates. Returns the
 * normalised set with keys sorted.
 */
export function validateLabels(labels: Labels, field: string): Labels {
  const name = labels.__name__;
  if (name === undefined || name === '') throw new InputError('series has no metric name (__name__)', { field }, 'TELEMETRY_METRIC_NAME_MISSING');
  if (!isValidMetricName(name)) throw new InputError(`metric name ${JSON.stringify(name)} is not valid`, { field: `${field}.__name__` }, 'TELEMETRY_METRIC_NAME_INVALID');
  const out: Labels = {};
  for (const k of Object.keys(labels).sort()) {
    const v = labels[k]!;
    if (k !== '__name__' && !isValidLabelName(k)) throw new InputError(`label name ${JSON.stringify(k)} is not valid`, { field: `${field}.${k}` }, 'TELEMETRY_LABEL_NAME_INVALID');
    if (k.startsWith('__') && k !== '__name__') continue; // reserved internal labels are not stored
    if (v === '') continue;
    out[k] = v;
  }
  return out;
}

/** Canonical text of a label set (sorted keys): the series identity. */
export function seriesKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let s = '';
  for (const k of keys) s += k + '\xff' + labels[k] + '\xfe';
  return s;
}

const fpCache = new Map<string, string>();
const FP_CACHE_MAX = 500_000;

/**
 * 64-bit series fingerprint of the canonical key (first 8 bytes of SHA-256, as 16 hex chars).
 * Series repeat in every request, so results are cached (bounded; cleared when full).
 */
export function fingerprint(key: string): string {
  let fp = fpCache.get(key);
  if (fp === undefined) {
    fp = createHash('sha256').update(key).digest('hex').slice(0, 16);
    if (fpCache.size >= FP_CACHE_MAX) fpCache.clear();
    fpCache.set(key, fp);
  }
  return fp;
}

export type CompiledMatcher = (labels: Labels) => boolean;

/** Prometheus regexes are fully anchored RE2; JS RegExp covers the syntax used in practice. */
export function compileMatchers(matchers: Matcher[]): CompiledMatcher {
  const tests = matchers.map((m) => {
    let re: RegExp | undefined;
    if (m.type === '=~' || m.type === '!~') {
      try {
        re = new RegExp(`^(?:${m.value})$`, 's');
      } catch (e) {
        throw new InputError(`invalid regular expression ${JSON.stringify(m.value)} for label ${m.name}`, { field: `matcher.${m.name}` }, 'TELEMETRY_MATCHER_REGEX', e);
      }
    }
    return (l: Labels) => {
      const v = l[m.name] ?? '';
      switch (m.type) {
        case '=':
          return v === m.value;
        case '!=':
          return v !== m.value;
        case '=~':
          return re!.test(v);
        case '!~':
          return !re!.test(v);
      }
    };
  });
  return (l) => tests.every((t) => t(l));
}

/** The metric name when a matcher pins it (lets stores use the name index). */
export function metricNameOf(matchers: Matcher[]): string | undefined {
  return matchers.find((m) => m.name === '__name__' && m.type === '=')?.value;
}
