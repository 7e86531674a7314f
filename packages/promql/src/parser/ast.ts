// Typed PromQL AST. Produced by parse(); never evaluated here (the engine walks it).
import type { Matcher } from '../storage.js';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Human wording Prometheus uses in type errors. */
export function typeName(t: ValueType): string {
  switch (t) {
    case 'scalar': return 'scalar';
    case 'vector': return 'instant vector';
    case 'matrix': return 'range vector';
    case 'string': return 'string';
  }
}

export interface PosRange {
  start: number;
  end: number;
}

/** `@` modifier: a fixed time in ms, or start()/end() of the query. */
export type AtModifier = { kind: 'time'; timeMs: number } | { kind: 'start' } | { kind: 'end' };

export interface NumberLiteral { type: 'NumberLiteral'; value: number; pos: PosRange }
export interface StringLiteral { type: 'StringLiteral'; value: string; pos: PosRange }
export interface VectorSelector {
  type: 'VectorSelector';
  /** metric name when written before the braces (also present as a `__name__` matcher). */
  name?: string;
  matchers: Matcher[];
  offsetMs: number;
  at?: AtModifier;
  pos: PosRange;
}
export interface MatrixSelector { type: 'MatrixSelector'; vector: VectorSelector; rangeMs: number; pos: PosRange }
export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  rangeMs: number;
  /** 0 when omitted (the engine's default evaluation interval applies). */
  stepMs: number;
  offsetMs: number;
  at?: AtModifier;
  pos: PosRange;
}
export interface Call { type: 'Call'; func: string; args: Expr[]; pos: PosRange }
export type AggregateOp =
  | 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'quantile' | 'count_values';
export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
  pos: PosRange;
}
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^' | 'atan2'
  | '==' | '!=' | '>' | '<' | '>=' | '<='
  | 'and' | 'or' | 'unless';
export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** true for on(...), false for ignoring(...) (or no clause). */
  on: boolean;
  labels: string[];
  /** extra labels of group_left/group_right(...). */
  include: string[];
}
export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** present when both sides are instant vectors. */
  matching?: VectorMatching;
  pos: PosRange;
  /** offset of the operator (Prometheus reports some errors there). */
  opPos?: number;
}
export interface UnaryExpr { type: 'UnaryExpr'; op: '-' | '+'; expr: Expr; pos: PosRange }
export interface ParenExpr { type: 'ParenExpr'; expr: Expr; pos: PosRange }

export type Expr =
  | NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | SubqueryExpr
  | Call | AggregateExpr | BinaryExpr | UnaryExpr | ParenExpr;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

/** Result type of an expression (Prometheus' Expr.Type()). */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral': return 'scalar';
    case 'StringLiteral': return 'string';
    case 'VectorSelector': return 'vector';
    case 'MatrixSelector': return 'matrix';
    case 'SubqueryExpr': return 'matrix';
    case 'Call': return FUNCTION_SIGNATURES[e.func]?.returns ?? 'vector';
    case 'AggregateExpr': return 'vector';
    case 'BinaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr': return exprType(e.expr);
    case 'ParenExpr': return exprType(e.expr);
  }
}

export interface FunctionSignature {
  args: ValueType[];
  /** number of trailing optional args (counted from the end of `args`). */
  optional?: number;
  /** last arg may repeat (label_join). */
  variadic?: boolean;
  returns: ValueType;
}

// Argument signatures as in Prometheus' parser/functions.go (subset this engine implements).
const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';
export const FUNCTION_SIGNATURES: Record<string, FunctionSignature> = {
  abs: { args: [v], returns: v },
  absent: { args: [v], returns: v },
  absent_over_time: { args: [m], returns: v },
  avg_over_time: { args: [m], returns: v },
  ceil: { args: [v], returns: v },
  changes: { args: [m], returns: v },
  clamp: { args: [v, s, s], returns: v },
  clamp_max: { args: [v, s], returns: v },
  clamp_min: { args: [v, s], returns: v },
  count_over_time: { args: [m], returns: v },
  day_of_month: { args: [v], optional: 1, returns: v },
  day_of_week: { args: [v], optional: 1, returns: v },
  day_of_year: { args: [v], optional: 1, returns: v },
  days_in_month: { args: [v], optional: 1, returns: v },
  delta: { args: [m], returns: v },
  deriv: { args: [m], returns: v },
  exp: { args: [v], returns: v },
  floor: { args: [v], returns: v },
  histogram_quantile: { args: [s, v], returns: v },
  hour: { args: [v], optional: 1, returns: v },
  idelta: { args: [m], returns: v },
  increase: { args: [m], returns: v },
  irate: { args: [m], returns: v },
  label_replace: { args: [v, str, str, str, str], returns: v },
  label_join: { args: [v, str, str, str], variadic: true, returns: v },
  last_over_time: { args: [m], returns: v },
  ln: { args: [v], returns: v },
  log10: { args: [v], returns: v },
  log2: { args: [v], returns: v },
  max_over_time: { args: [m], returns: v },
  min_over_time: { args: [m], returns: v },
  minute: { args: [v], optional: 1, returns: v },
  month: { args: [v], optional: 1, returns: v },
  predict_linear: { args: [m, s], returns: v },
  present_over_time: { args: [m], returns: v },
  quantile_over_time: { args: [s, m], returns: v },
  rate: { args: [m], returns: v },
  resets: { args: [m], returns: v },
  round: { args: [v, s], optional: 1, returns: v },
  scalar: { args: [v], returns: s },
  sgn: { args: [v], returns: v },
  sort: { args: [v], returns: v },
  sort_desc: { args: [v], returns: v },
  sqrt: { args: [v], returns: v },
  stddev_over_time: { args: [m], returns: v },
  stdvar_over_time: { args: [m], returns: v },
  sum_over_time: { args: [m], returns: v },
  time: { args: [], returns: s },
  timestamp: { args: [v], returns: v },
  vector: { args: [s], returns: v },
  year: { args: [v], optional: 1, returns: v },
  holt_winters: { args: [m, s, s], returns: v },
  pi: { args: [], returns: s },
  deg: { args: [v], returns: v },
  rad: { args: [v], returns: v },
  sin: { args: [v], returns: v },
  cos: { args: [v], returns: v },
  tan: { args: [v], returns: v },
  asin: { args: [v], returns: v },
  acos: { args: [v], returns: v },
  atan: { args: [v], returns: v },
  sinh: { args: [v], returns: v },
  cosh: { args: [v], returns: v },
  tanh: { args: [v], returns: v },
  asinh: { args: [v], returns: v },
  acosh: { args: [v], returns: v },
  atanh: { args: [v], returns: v },
};

export const AGGREGATE_OPS: ReadonlySet<string> = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values',
]);
