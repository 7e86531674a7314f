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
