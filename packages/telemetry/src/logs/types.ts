// The logs half of the telemetry store: the narrow port every engine (embedded SQLite,
// ClickHouse) implements, and the wire-neutral shapes the decoders produce.

export type Labels = Record<string, string>;

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** One log line. `ts` is nanoseconds since the epoch (bigint: ns do not fit a double). */
export interface LogEntry {
  ts: bigint;
  line: string;
  /** Loki "structured metadata": per-line key/values that are not stream labels. */
  metadata?: Labels;
}

export interface LogStreamInput {
  labels: Labels;
  entries: LogEntry[];
}

/** A line filter the store may apply itself (the engine re-checks anything it cannot). */
export interface LineFilter {
  op: '|=' | '!=' | '|~' | '!~';
  value: string;
}

export type Direction = 'forward' | 'backward';

export interface LogSelectQuery {
  matchers: LabelMatcher[];
  /** Inclusive start, exclusive end, nanoseconds. */
  from: bigint;
  to: bigint;
  filters?: LineFilter[];
  direction?: Direction;
  /** Rows per batch the iterator yields; the caller stops pulling when it has enough. */
  batchSize?: number;
  /** Skip reading the line text (metric queries without a pipeline only need ts and size). */
  withoutLine?: boolean;
}

/** A row out of `select`: the stream it belongs to, its time, its text (or just its size). */
export interface LogRow {
  streamId: string;
  ts: bigint;
  line: string;
  bytes: number;
  metadata?: Labels;
}

/** Per-bucket line counts for metric queries whose pipeline the store can run entirely. */
export interface LogCountQuery {
  matchers: LabelMatcher[];
  /** Inclusive start, exclusive end, ns; bucket b holds [from + b·width, from + (b+1)·width). */
  from: bigint;
  to: bigint;
  width: bigint;
  filters?: LineFilter[];
  withBytes?: boolean;
}

export interface LogCountRow {
  streamId: string;
  metadata?: Labels;
  bucket: number;
  count: number;
  bytes: number;
}

export interface StreamInfo {
  id: string;
  labels: Labels;
}

export interface LogBatch {
  streams: Map<string, Labels>;
  rows: LogRow[];
}

export interface TimeRange {
  from: bigint;
  to: bigint;
}

/** An event: a Kubernetes event, a deploy, a health event. Times are milliseconds. */
export interface EventInput {
  time: number;
  labels: Labels;
  /** Normal | Warning for Kubernetes; info | warning | error | critical otherwise. */
  type?: string;
  reason?: string;
  message: string;
  /** Repeated occurrences of the same event (Kubernetes `count`). */
  count?: number;
  /** Same fingerprint = same event updated in place (e.g. cluster/uid/reason). */
  fingerprint?: string;
  attributes?: Record<string, unknown>;
}

export interface StoredEvent extends Required<Omit<EventInput, 'fingerprint' | 'attributes'>> {
  id: string;
  fingerprint: string | null;
  attributes: Record<string, unknown>;
}

export interface EventQuery {
  from: number;
  to: number;
  matchers?: LabelMatcher[];
  /** Free text: every word must appear (substring) in message or reason. */
  text?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface EventPage {
  items: StoredEvent[];
  nextCursor: string | null;
}

export interface RetentionPolicy {
  /** Delete log lines older than this (ns since epoch). */
  logsBefore?: bigint;
  /** Delete events older than this (ms since epoch). */
  eventsBefore?: number;
}

export interface RetentionResult {
  logsDeleted: number;
  eventsDeleted: number;
}

/**
 * The logs/events port. `append` resolves only once the batch is durable: a caller may then
 * answer 2xx. Queries stream rows in batches so the engine can stop at its limit.
 */
export interface LogStore {
  readonly kind: 'sqlite' | 'clickhouse';
  append(streams: LogStreamInput[]): Promise<{ accepted: number }>;
  select(query: LogSelectQuery): AsyncIterable<LogBatch>;
  /** Count lines (and bytes) per stream, metadata and time bucket inside the engine. */
  countBuckets(query: LogCountQuery): Promise<{ streams: Map<string, Labels>; rows: LogCountRow[] }>;
  streams(matchers: LabelMatcher[], range: TimeRange): Promise<StreamInfo[]>;
  /** Label names of the streams in the range that match `matchers` (all streams when none). */
  labelNames(range: TimeRange, matchers?: LabelMatcher[]): Promise<string[]>;
  labelValues(name: string, range: TimeRange, matchers?: LabelMatcher[]): Promise<string[]>;
  appendEvents(events: EventInput[]): Promise<{ accepted: number }>;
  searchEvents(query: EventQuery): Promise<EventPage>;
  retain(policy: RetentionPolicy): Promise<RetentionResult>;
  close(): Promise<void>;
}
