// Prometheus HTTP API parameter parsing: times (RFC 3339 or Unix seconds), durations
// (Prometheus duration or float seconds) and series selectors for match[].
import { InputError } from '@sreworks/kernel';
import type { Matcher, MatchType } from '@sreworks/promql';

export function parseTime(v: string | undefined, field: string, dflt?: number): number {
  if (v === undefined || v === '') {
    if (dflt !== undefined) return dflt;
    throw new InputError(`${field} is required`, { field }, 'TELEMETRY_PARAM_TIME');
  }
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) throw new InputError(`cannot parse ${JSON.stringify(v)} to a valid timestamp`, { field }, 'TELEMETRY_PARAM_TIME');
  return t;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

export function parseDuration(v: string | undefined, field: string, dflt?: number): number {
  if (v === undefined || v === '') {
    if (dflt !== undefined) return dflt;
    throw new InputError(`${field} is required`, { field }, 'TELEMETRY_PARAM_DURATION');
  }
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(v))) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== v.length || consumed === 0) throw new InputError(`cannot parse ${JSON.stringify(v)} to a valid duration`, { field }, 'TELEMETRY_PARAM_DURATION');
  return total;
}

/** Parses a series selector: `name`, `name{l="v",…}` or `{l=~"v",…}`. */
export function parseSelector(s: string, field: string): Matcher[] {
  const fail = (msg: string): never => {
    throw new InputError(`invalid series selector ${JSON.stringify(s)}: ${msg}`, { field }, 'TELEMETRY_PARAM_SELECTOR');
  };
  let i = 0;
  const src = s.trim();
  const out: Matcher[] = [];
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(src);
  if (name) {
    out.push({ name: '__name__', type: '=', value: name[0] });
    i = name[0].length;
  }
  const ws = () => {
    while (src[i] === ' ' || src[i] === '\t' || src[i] === '\n') i++;
  };
  ws();
  if (src[i] === '{') {
    i++;
    for (;;) {
      ws();
      if (src[i] === '}') {
        i++;
        break;
      }
      const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(src.slice(i));
      if (!ln) fail(`expected a label name at ${i}`);
      i += ln![0].length;
      ws();
      const op = /^(=~|!~|!=|=)/.exec(src.slice(i));
      if (!op) fail(`expected a match operator at ${i}`);
      i += op![0].length;
      ws();
      const q = src[i];
      if (q !== '"' && q !== "'" && q !== '`') fail(`expected a quoted string at ${i}`);
      i++;
      let v = '';
      for (;;) {
        const c = src[i];
        if (c === undefined) fail('unterminated string');
        if (c === q) break;
        if (c === '\\' && q !== '`') {
          const n = src[i + 1];
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        v += c;
        i++;
      }
      i++;
      out.push({ name: ln![0], type: op![0] as MatchType, value: v });
      ws();
      if (src[i] === ',') i++;
      else if (src[i] !== '}') fail(`expected , or } at ${i}`);
    }
  }
  ws();
  if (i !== src.length) fail(`unexpected ${JSON.stringify(src.slice(i, i + 10))}`);
  if (!out.length) fail('empty selector');
  // Prometheus refuses selectors that match every series (all matchers match the empty string)
  if (out.every((m) => (m.type === '=' && m.value === '') || (m.type === '=~' && new RegExp(`^(?:${m.value})$`).test('')) || m.type === '!=' || m.type === '!~')) {
    if (!out.some((m) => m.type === '!=' && m.value === '') && !out.some((m) => m.type === '!~' && new RegExp(`^(?:${m.value})$`).test(''))) {
      fail('match[] must contain at least one non-empty matcher');
    }
  }
  return out;
}
