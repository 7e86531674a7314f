import { z } from 'zod';

/**
 * JSON Schema (draft-07, as Fastify's ajv expects) from a zod 4 schema: wire shapes are written
 * once in zod, validated by Fastify and published in OpenAPI. Use z.strictObject for request
 * bodies so unknown fields are refused.
 */
export function toSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const js = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete js.$schema;
  return js;
}

export { z };

/** The platform's error body, `{error: {code, message, details}}`, as a response schema. */
export const errorBody = toSchema(z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.any() }) }), 'output');

/** Response schemas for the given error statuses (all share errorBody). */
export function errorResponses(...statuses: number[]): Record<number, Record<string, unknown>> {
  return Object.fromEntries(statuses.map((s) => [s, errorBody]));
}

/** Response schema of a list route: `{items, nextCursor}`. */
export function pageSchema(item: z.ZodType): Record<string, unknown> {
  return toSchema(z.object({ items: z.array(item), nextCursor: z.string().nullable() }), 'output');
}
