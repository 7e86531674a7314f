// JSX templates → `h(type, props, ...children)` calls (sucrase), evaluated in the sandbox.
// `$(path)` placeholders (SREWorks style) are replaced by their values first, escaped as HTML
// entities so a value can never inject markup or code into the template.
import { transform } from 'sucrase';
import { getPath } from '@sreworks/lowcode/browser';

const PLACEHOLDER = /\$\(\s*([^()]+?)\s*\)/g;

function escapeEntities(s: string): string {
  return s.replace(/[&<>{}"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function substitutePlaceholders(source: string, scope: Record<string, unknown>): string {
  return source.replace(PLACEHOLDER, (_m, p: string) => {
    const v = getPath(scope, p);
    if (v === undefined || v === null) return '';
    return escapeEntities(typeof v === 'object' ? JSON.stringify(v) : String(v));
  });
}

export function compileJsx(source: string): string {
  const out = transform(`<>${source}</>`, { transforms: ['jsx'], jsxPragma: 'h', jsxFragmentPragma: 'Fragment', production: true }).code.trim();
  return out.replace(/;$/, '');
}
