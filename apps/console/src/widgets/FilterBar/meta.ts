import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { fieldSchema, type FieldDef } from '../Form/fields.js';

const schema = z.object({
  fields: z.array(fieldSchema).optional(),
  /** publish on every change (debounced) instead of on the Query button. */
  autoSubmit: z.boolean().optional(),
  debounceMs: z.number().int().min(0).max(5000).optional(),
  initialValues: z.record(z.string(), z.any()).optional(),
  showReset: z.boolean().optional(),
});
export type FilterBarProps = z.infer<typeof schema>;

export const defaults = { fields: [] as FieldDef[], autoSubmit: false, debounceMs: 300, showReset: true } satisfies FilterBarProps;

export const meta: WidgetMeta = {
  type: 'FilterBar',
  name: 'Filter bar',
  nameZh: '过滤条',
  category: 'form',
  description:
    'A row of filter inputs (same field types as Form). Publishes the values as the node output (for other nodes\' $(…) templates) and emits "change"; on the Query button or, with autoSubmit, on every change.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    fields: [
      { name: 'appId', label: 'App', type: 'select', optionsPath: 'apps', labelKey: 'name', valueKey: 'id' },
      { name: 'keyword', label: 'Keyword', type: 'text', placeholder: 'name contains' },
      { name: 'range', label: 'Time', type: 'dateRange' },
    ],
  },
  mockData: { apps: [{ id: 'health', name: 'Health' }, { id: 'aiops', name: 'AIOps' }] },
  events: ['change', 'reset'],
  version: 1,
};
