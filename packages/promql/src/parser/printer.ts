// AST -> PromQL text (canonical spacing). Round-trips through parse().
import type { AtModifier, Expr, VectorSelector } from './ast.js';

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let r = Math.abs(ms);
  let out = '';
  const units: [string, number][] = [['y', 365 * 86400e3], ['w', 7 * 86400e3], ['d', 86400e3], ['h', 3600e3], ['m', 60e3], ['s', 1e3], ['ms', 1]];
  for (const [u, size] of units) {
    const n = Math.floor(r / size);
    if (n > 0) { out += `${n}${u}`; r -= n * size; }
  }
  return (neg ? '-' : '') + out;
}

function str(s: string): string {
  return JSON.stringify(s);
}

function at(a: AtModifier | undefined): string {
  if (!a) return '';
  if (a.kind === 'start') return ' @ start()';
  if (a.kind === 'end') return ' @ end()';
  return ` @ ${(a.timeMs / 1000).toFixed(3)}`;
}

function selector(v: VectorSelector): string {
  const ms = v.matchers.filter((m) => !(v.name !== undefined && m.name === '__name__' && m.type === '=' && m.value === v.name));
  const body = ms.map((m) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.name) ? m.name : str(m.name)}${m.type}${str(m.value)}`).join(', ');
  return `${v.name ?? ''}${body || v.name === undefined ? `{${body}}` : ''}`;
}

function mods(offsetMs: number, a: AtModifier | undefined): string {
  return (offsetMs !== 0 ? ` offset ${formatDuration(offsetMs)}` : '') + at(a);
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

const PREC: Record<string, number> = {
  or: 1, and: 2, unless: 2, '==': 3, '!=': 3, '>': 3, '<': 3, '>=': 3, '<=': 3,
  '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, atan2: 5, '^': 6,
};

/** Parenthesizes an operand when the AST (possibly built by hand) needs it to print back the same. */
function operand(e: Expr, parentOp: string, side: 'lhs' | 'rhs'): string {
  if (e.type !== 'BinaryExpr') return print(e);
  const p = PREC[e.op]!;
  const q = PREC[parentOp]!;
  const rightAssoc = parentOp === '^';
  const wrap = side === 'lhs' ? p < q || (p === q && rightAssoc) : p < q || (p === q && !rightAssoc);
  return wrap ? `(${print(e)})` : print(e);
}

function postfixOperand(e: Expr): string {
  return e.type === 'BinaryExpr' || e.type === 'UnaryExpr' ? `(${print(e)})` : print(e);
}

export function print(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral': return num(e.value);
    case 'StringLiteral': return str(e.value);
    case 'VectorSelector': return selector(e) + mods(e.offsetMs, e.at);
    case 'MatrixSelector': return `${selector(e.vector)}[${formatDuration(e.rangeMs)}]${mods(e.vector.offsetMs, e.vector.at)}`;
    case 'SubqueryExpr':
      return `${postfixOperand(e.expr)}[${formatDuration(e.rangeMs)}:${e.stepMs ? formatDuration(e.stepMs) : ''}]${mods(e.offsetMs, e.at)}`;
    case 'Call': return `${e.func}(${e.args.map(print).join(', ')})`;
    case 'AggregateExpr': {
      const g = e.grouping.length || e.without ? ` ${e.without ? 'without' : 'by'} (${e.grouping.join(', ')})` : '';
      return `${e.op}${g} (${e.param ? `${print(e.param)}, ` : ''}${print(e.expr)})`;
    }
    case 'BinaryExpr': {
      let m = '';
      const vm = e.matching;
      if (vm) {
        if (vm.on || vm.labels.length) m += ` ${vm.on ? 'on' : 'ignoring'} (${vm.labels.join(', ')})`;
        if (vm.card === 'many-to-one') m += ` group_left (${vm.include.join(', ')})`;
        if (vm.card === 'one-to-many') m += ` group_right (${vm.include.join(', ')})`;
      }
      return `${operand(e.lhs, e.op, 'lhs')} ${e.op}${e.returnBool ? ' bool' : ''}${m} ${operand(e.rhs, e.op, 'rhs')}`;
    }
    case 'UnaryExpr': return `${e.op}${e.expr.type === 'BinaryExpr' && PREC[e.expr.op]! < 6 ? `(${print(e.expr)})` : print(e.expr)}`;
    case 'ParenExpr': return `(${print(e.expr)})`;
  }
}
