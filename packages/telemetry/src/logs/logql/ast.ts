import type { LabelMatcher } from '../types.js';

/** LogQL AST. Positions are 0-based character offsets into the query text. */

export interface LineFilterStage {
  kind: 'line_filter';
  op: '|=' | '!=' | '|~' | '!~';
  value: string;
  pos: number;
}

export interface ParserStage {
  kind: 'json' | 'logfmt';
  pos: number;
}

export interface LineFormatStage {
  kind: 'line_format';
  template: string;
  pos: number;
}

export type LabelPredicate =
  | { kind: 'string'; name: string; op: '=' | '!=' | '=~' | '!~'; value: string }
  | { kind: 'number'; name: string; op: '==' | '!=' | '>' | '>=' | '<' | '<='; value: number; unit: 'none' | 'duration' | 'bytes' }
  | { kind: 'and' | 'or'; left: LabelPredicate; right: LabelPredicate };

export interface LabelFilterStage {
  kind: 'label_filter';
  predicate: LabelPredicate;
  pos: number;
}

/** `| drop a, b="x"` / `| keep a, b`: remove labels (or keep only these); a value makes it conditional. */
export interface DropKeepStage {
  kind: 'drop' | 'keep';
  labels: { name: string; value?: string }[];
  pos: number;
}

export type Stage = LineFilterStage | ParserStage | LineFormatStage | LabelFilterStage | DropKeepStage;

export interface LogSelectorExpr {
  type: 'log';
  matchers: LabelMatcher[];
  stages: Stage[];
}

export type RangeFn = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';
export type AggOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'topk' | 'bottomk';

export interface RangeAggExpr {
  type: 'range';
  fn: RangeFn;
  log: LogSelectorExpr;
  /** Range in milliseconds. */
  rangeMs: number;
}

export interface VectorAggExpr {
  type: 'agg';
  op: AggOp;
  grouping?: { without: boolean; labels: string[] };
  param?: number;
  inner: MetricExpr;
}

export type MetricExpr = RangeAggExpr | VectorAggExpr;
export type Expr = LogSelectorExpr | MetricExpr;
