// What a stored component is: a JSX source run in the sandbox iframe, or a remote bundle by URL.
// Browser-safe (zod only): the designer validates with the same schemas before saving.
import { z } from 'zod';

export const COMPONENT_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

/** Page node type of a component: `jsx:Name` (custom) or `remote:Name`. */
export function componentType(kind: 'jsx' | 'remote', name: string): string {
  return `${kind}:${name}`;
}

export const ComponentMeta = z.strictObject({
  name: z.string().min(1).max(128),
  nameZh: z.string().optional(),
  category: z.enum(['layout', 'data', 'chart', 'form', 'display', 'action', 'advanced']).default('advanced'),
  description: z.string().max(2000).default(''),
  propsSchema: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }),
  defaults: z.record(z.string(), z.unknown()).default({}),
  events: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/)).optional(),
  mockData: z.unknown().optional(),
});
export type ComponentMeta = z.infer<typeof ComponentMeta>;

const httpUrl = z.string().max(2048).refine((u) => {
  try {
    const p = new URL(u);
    return p.protocol === 'https:' || p.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

export const JsxComponentDef = z.strictObject({
  kind: z.literal('jsx'),
  /** JSX source; must define `function Component(props, ctx)`. Compiled in the browser. */
  source: z.string().min(1).max(200_000),
  meta: ComponentMeta,
});

export const RemoteComponentDef = z.strictObject({
  kind: z.literal('remote'),
  /** esm: exports `mount(el, ctx)`; umd: sets `window[global]` with `mount`; vue: defines `tag`. */
  format: z.enum(['esm', 'umd', 'vue']),
  url: httpUrl,
  global: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/).optional(),
  tag: z.string().regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, 'a custom element name (lower case, with a dash)').optional(),
  meta: ComponentMeta,
});

export const ComponentDef = z.discriminatedUnion('kind', [JsxComponentDef, RemoteComponentDef]).superRefine((d, ctx) => {
  if (d.kind === 'remote' && d.format === 'umd' && !d.global) ctx.addIssue({ code: 'custom', path: ['global'], message: 'a UMD component needs the global name it defines' });
  if (d.kind === 'remote' && d.format === 'vue' && !d.tag) ctx.addIssue({ code: 'custom', path: ['tag'], message: 'a Vue component needs the custom element tag it defines' });
});
export type ComponentDef = z.infer<typeof ComponentDef>;

export interface ComponentRecord {
  name: string;
  kind: 'jsx' | 'remote';
  type: string;
  teamId: string | null;
  version: number;
  def: ComponentDef;
  updatedAt: string;
  updatedBy: string | null;
}
