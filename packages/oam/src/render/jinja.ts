// SREWorks values are Jinja templates (`{{ Global.STAGE_ID }}-team`). They are rendered with
// nunjucks running INSIDE the QuickJS sandbox: nunjucks compiles templates to JavaScript, and a
// template like `{{ range.constructor("return process")() }}` must find nothing to escape to.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SandboxHost, SandboxModule } from '@sreworks/sandbox';
import { SandboxError } from '@sreworks/sandbox';
import { oamTemplate, type OamErrorWhere } from '../errors.js';

const require = createRequire(import.meta.url);

export function hasJinja(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}

export class JinjaEngine {
  private module?: SandboxModule;
  constructor(private readonly sandbox: SandboxHost) {}

  private load(): SandboxModule {
    if (this.module) return this.module;
    const src = readFileSync(require.resolve('nunjucks/browser/nunjucks.min.js'), 'utf8');
    const code = `var module = { exports: {} }; var exports = module.exports; var self = globalThis;
${src}
const nj = module.exports;
const env = new nj.Environment([], { autoescape: false, throwOnUndefined: false });
const cache = new Map();
export function render(list, scope) {
  return list.map((t) => {
    let c = cache.get(t);
    if (!c) { c = nj.compile(t, env); if (cache.size < 5000) cache.set(t, c); }
    try { return { ok: c.render(scope) }; } catch (e) { return { error: String(e && e.message || e) }; }
  });
}`;
    this.module = this.sandbox.compileModule(code, { filename: 'jinja.js', limits: { timeoutMs: 500, memoryBytes: 64 * 1024 * 1024 } });
    return this.module;
  }

  /** Render many templates against one scope in one sandbox call. */
  renderAll(templates: string[], scope: Record<string, unknown>, where: OamErrorWhere): string[] {
    if (templates.length === 0) return [];
    let res: { ok?: string; error?: string }[];
    try {
      res = this.load().call('render', templates, scope) as { ok?: string; error?: string }[];
    } catch (e) {
      const kind = e instanceof SandboxError ? e.kind : 'thrown';
      throw oamTemplate('OAM_RENDER_JINJA', `${where.document ?? 'application'}: Jinja rendering failed (${kind}): ${(e as Error).message}`, { ...where, sandbox: kind });
    }
    return res.map((r, i) => {
      if (r.error !== undefined)
        throw oamTemplate('OAM_RENDER_JINJA', `${where.document ?? 'application'}: ${where.field ?? ''} "${templates[i]}": ${r.error.split('\n').pop()?.trim()}`, { ...where, template: templates[i] });
      return r.ok ?? '';
    });
  }

  /** Render every Jinja string inside a JSON value (a copy is returned; other values untouched). */
  renderDeep<T>(value: T, scope: Record<string, unknown>, where: OamErrorWhere): T {
    const found: string[] = [];
    collect(value, found);
    if (found.length === 0) return value;
    const unique = [...new Set(found)];
    const rendered = this.renderAll(unique, scope, where);
    const map = new Map(unique.map((t, i) => [t, rendered[i]]));
    return replace(value, map) as T;
  }

  dispose(): void {
    this.module?.dispose();
    this.module = undefined;
  }
}

function collect(v: unknown, out: string[]): void {
  if (typeof v === 'string') {
    if (hasJinja(v)) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x, out);
}

function replace(v: unknown, map: Map<string, string>): unknown {
  if (typeof v === 'string') return map.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => replace(x, map));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = replace(x, map);
    return o;
  }
  return v;
}
