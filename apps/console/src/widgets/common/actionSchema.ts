import { z } from 'zod';

export const iconSchema = z.enum(['plus', 'edit', 'delete', 'reload', 'search', 'download', 'upload', 'play', 'stop', 'rollback', 'settings', 'view']);

export const actionSchema = z.object({
  key: z.string().min(1),
  label: z.string(),
  /** event to emit (default: the key). */
  event: z.string().optional(),
  payload: z.any().optional(),
  type: z.enum(['primary', 'default', 'dashed', 'link', 'text']).optional(),
  danger: z.boolean().optional(),
  icon: iconSchema.optional(),
  /** ask before emitting. */
  confirm: z.string().optional(),
  disabled: z.boolean().optional(),
});
export type ActionDef = z.infer<typeof actionSchema>;
