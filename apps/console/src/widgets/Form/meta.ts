import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { fieldSchema, type FieldDef } from './fields.js';

const schema = z.object({
  title: z.string().optional(),
  fields: z.array(fieldSchema).optional(),
  layout: z.enum(['vertical', 'horizontal', 'inline']).optional(),
  /** fields per row (fields may override with span of 24). */
  columns: z.number().int().min(1).max(4).optional(),
  submitText: z.string().optional(),
  showReset: z.boolean().optional(),
  initialValues: z.record(z.string(), z.any()).optional(),
  /** initial values from the node's data at this path ("" = the whole data). */
  valuesPath: z.string().optional(),
  disabled: z.boolean().optional(),
  /** hide the buttons (the form is driven by a drawer or modal action). */
  hideButtons: z.boolean().optional(),
});

export type FormProps = z.infer<typeof schema>;

export const defaults = { fields: [] as FieldDef[], layout: 'vertical', columns: 1, showReset: true, disabled: false, hideButtons: false } satisfies FormProps;

export const meta: WidgetMeta = {
  type: 'Form',
  name: 'Form',
  nameZh: '表单',
  category: 'form',
  description:
    'Input form with text, textarea, password, number, select (static or from data), multi-select, switch, checkbox, radio, date, date range, slider, JSON and YAML fields; required/pattern/min/max validation; dependent fields (visibleWhen, dependsOn). Submit emits "submit" with the values and publishes them as the node output.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    fields: [
      { name: 'name', label: 'Name', type: 'text', required: true, pattern: '[a-z][a-z0-9-]{1,62}', patternMessage: 'lower-case letters, digits and dashes' },
      { name: 'appId', label: 'App', type: 'select', required: true, optionsPath: 'apps', labelKey: 'name', valueKey: 'id' },
      { name: 'component', label: 'Component', type: 'select', optionsPath: 'components', labelKey: 'name', valueKey: 'id', parentKey: 'appId', dependsOn: ['appId'] },
      { name: 'replicas', label: 'Replicas', type: 'number', min: 0, max: 50, defaultValue: 1 },
      { name: 'strategy', label: 'Strategy', type: 'radio', options: [{ label: 'Rolling', value: 'rolling' }, { label: 'Recreate', value: 'recreate' }], defaultValue: 'rolling' },
      { name: 'maxSurge', label: 'Max surge', type: 'number', min: 0, max: 10, visibleWhen: { field: 'strategy', equals: 'rolling' } },
      { name: 'values', label: 'Values (YAML)', type: 'yaml', rows: 6 },
    ],
  },
  mockData: {
    apps: [
      { id: 'health', name: 'Health' },
      { id: 'aiops', name: 'AIOps' },
    ],
    components: [
      { id: 'health-api', name: 'health-api', appId: 'health' },
      { id: 'forecast', name: 'forecast', appId: 'aiops' },
    ],
  },
  events: ['submit', 'reset', 'change'],
  version: 1,
};
