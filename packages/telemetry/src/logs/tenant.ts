// Team isolation for logs and events, built as the metrics side is (metrics/tenant.ts): when the
// server resolves a request to a team, every stored stream and event carries the tenant label,
// set here and never by the sender, and every read is narrowed to that label's value. Lines and
// events written before isolation (or by an admin acting for no team) have no tenant label: only
// unscoped callers (platform admins without X-Scope-OrgID) see them, as for metrics.
import { tenantAlternation } from '../metrics/tenant.js';
import type {
  EventInput,
  EventPage,
  EventQuery,
  LabelMatcher,
  Labels,
  LogBatch,
  LogCountQuery,
  LogCountRow,
  LogSelectQuery,
  LogStore,
  LogStreamInput,
  RetentionResult,
  StreamInfo,
  TimeRange,
} from './types.js';

/** Sets the tenant label on every stream and drops a same-named metadata key (it would shadow the label in results). */
export function stampStreams(streams: LogStreamInput[], label: string, tenant: string): LogStreamInput[] {
  return streams.map((s) => {
    let entries = s.entries;
    if (entries.some((e) => e.metadata !== undefined && label in e.metadata)) {
      entries = entries.map((e) => {
        if (!e.metadata || !(label in e.metadata)) return e;
        const { [label]: _dropped, ...metadata } = e.metadata;
        return { ...e, metadata };
      });
    }
    return { labels: { ...s.labels, [label]: tenant }, entries };
  });
}

/**
 * Sets the tenant label on every event and qualifies its fingerprint with the tenant: the stores
 * update an event in place by fingerprint, so an unqualified one would let a team overwrite
 * another team's event by reusing its fingerprint.
 */
export function stampEvents(events: EventInput[], label: string, tenant: string): EventInput[] {
  return events.map((e) => ({
    ...e,
    labels: { ...e.labels, [label]: tenant },
    ...(e.fingerprint ? { fingerprint: `${tenant}/${e.fingerprint}` } : {}),
  }));
}

/** `label="t"` for one tenant, `label=~"^(?:a|b)$"` for several (a caller reading all its teams). */
export function tenantMatcher(label: string, tenants: readonly string[]): LabelMatcher {
  if (tenants.length === 1) return { name: label, op: '=', value: tenants[0]! };
  return { name: label, op: '=~', value: `^(?:${tenantAlternation(tenants)})$` };
}

/**
 * The LogStore a caller sees: writes are stamped with its one tenant label, reads carry one more
 * matcher for its tenant(s) (so a selector naming another team's value matches nothing). Given
 * several tenants (a member of several teams reading without X-Scope-OrgID) it only reads.
 * Retention is platform-wide and not offered here; close() leaves the shared store open.
 */
export function scopedLogStore(store: LogStore, label: string, tenant: string | readonly string[]): LogStore {
  const tenants = typeof tenant === 'string' ? [tenant] : tenant;
  const m = tenantMatcher(label, tenants);
  const writer = tenants.length === 1 ? tenants[0]! : undefined;
  const refuse = () => Promise.reject(new Error('writing needs exactly one tenant'));
  const unprefix = (fp: string | null) => {
    const t = fp ? tenants.find((x) => fp.startsWith(`${x}/`)) : undefined;
    return t ? fp!.slice(t.length + 1) : fp;
  };
  return {
    kind: store.kind,
    append: (streams: LogStreamInput[]) => (writer ? store.append(stampStreams(streams, label, writer)) : refuse()),
    select: (q: LogSelectQuery): AsyncIterable<LogBatch> => store.select({ ...q, matchers: [...q.matchers, m] }),
    countBuckets: (q: LogCountQuery): Promise<{ streams: Map<string, Labels>; rows: LogCountRow[] }> => store.countBuckets({ ...q, matchers: [...q.matchers, m] }),
    streams: (matchers: LabelMatcher[], range: TimeRange): Promise<StreamInfo[]> => store.streams([...matchers, m], range),
    labelNames: (range: TimeRange, matchers: LabelMatcher[] = []) => store.labelNames(range, [...matchers, m]),
    labelValues: (name: string, range: TimeRange, matchers: LabelMatcher[] = []) => store.labelValues(name, range, [...matchers, m]),
    appendEvents: (events: EventInput[]) => (writer ? store.appendEvents(stampEvents(events, label, writer)) : refuse()),
    searchEvents: async (q: EventQuery): Promise<EventPage> => {
      const page = await store.searchEvents({ ...q, matchers: [...(q.matchers ?? []), m] });
      // The team gets back the fingerprint it sent.
      for (const ev of page.items) ev.fingerprint = unprefix(ev.fingerprint);
      return page;
    },
    retain: (): Promise<RetentionResult> => Promise.reject(new Error('retention is platform-wide: call it on the unscoped store')),
    close: async () => {},
  };
}
