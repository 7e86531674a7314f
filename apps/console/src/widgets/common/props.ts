import { z } from 'zod';

/** JSON Schema (draft-07) of a widget's props, as WidgetMeta.propsSchema expects. */
export function propsSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

/** Defaults under the node's props; undefined in props never hides a default. */
export type WithDefaults<D, P> = P & { [K in keyof D]-?: K extends keyof P ? Exclude<P[K], undefined> : D[K] };

export function withDefaults<D extends object, P extends object>(defaults: D, props: P | undefined): WithDefaults<D, P> {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(props ?? {})) if (v !== undefined) out[k] = v;
  return out as WithDefaults<D, P>;
}

/** Lodash-style path lookup ("items.0.name", "a.b"); empty path returns the value itself. */
export function getPath(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
