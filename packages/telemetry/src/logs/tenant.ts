// Team isolation for logs and events, built as the metrics side is (metrics/tenant.ts): when the
// server resolves a request to a team, every stored stream and event carries the tenant label,
// set here and never by the sender, and every read is narrowed to that label's value. Lines and
// events written before isolation (or by an admin acting for no team) have no tenant label: only
// unscoped callers (platform admins without X-Scope-OrgID) see them, as for metrics.
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

/**
 * The LogStore one team sees: writes are stamped with its tenant label, reads carry one more
 * matcher `label="tenant"` (so a selector naming another team's value matches nothing).
 * Retention is platform-wide and not offered here; close() leaves the shared store open.
 */
export function scopedLogStore(store: LogStore, label: string, tenant: string): LogStore {
  const m: LabelMatcher = { name: label, op: '=', value: tenant };
  const prefix = `${tenant}/`;
  return {
    kind: store.kind,
    append: (streams: LogStreamInput[]) => store.append(stampStreams(streams, label, tenant)),
    select: (q: LogSelectQuery): AsyncIterable<LogBatch> => store.select({ ...q, matchers: [...q.matchers, m] }),
    countBuckets: (q: LogCountQuery): Promise<{ streams: Map<string, Labels>; rows: LogCountRow[] }> => store.countBuckets({ ...q, matchers: [...q.matchers, m] }),
    streams: (matchers: LabelMatcher[], range: TimeRange): Promise<StreamInfo[]> => store.streams([...matchers, m], range),
    labelNames: (range: TimeRange, matchers: LabelMatcher[] = []) => store.labelNames(range, [...matchers, m]),
    labelValues: (name: string, range: TimeRange, matchers: LabelMatcher[] = []) => store.labelValues(name, range, [...matchers, m]),
    appendEvents: (events: EventInput[]) => store.appendEvents(stampEvents(events, label, tenant)),
    searchEvents: async (q: EventQuery): Promise<EventPage> => {
      const page = await store.searchEvents({ ...q, matchers: [...(q.matchers ?? []), m] });
      // The team gets back the fingerprint it sent.
      for (const ev of page.items) if (ev.fingerprint?.startsWith(prefix)) ev.fingerprint = ev.fingerprint.slice(prefix.length);
      return page;
    },
    retain: (): Promise<RetentionResult> => Promise.reject(new Error('retention is platform-wide: call it on the unscoped store')),
    close: async () => {},
  };
}
