import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  dataPath: z.string().optional(),
  /** for lists of objects: which field is the tag text and which its colour. */
  labelField: z.string().optional(),
  colorField: z.string().optional(),
  /** tag text → antd colour name (blue, green, red…) or status (success, error…). */
  colorMap: z.record(z.string(), z.string()).optional(),
  max: z.number().int().min(1).optional(),
  clickable: z.boolean().optional(),
});
export type TagListProps = z.infer<typeof schema>;

export const defaults = { labelField: 'label', colorField: 'color', clickable: false } satisfies TagListProps;

export const meta: WidgetMeta = {
  type: 'TagList',
  name: 'Tag list',
  nameZh: '标签列表',
  category: 'display',
  description: 'A wrap of tags from a list of strings, a comma-separated string, an object (k=v) or records with label/color fields; "+N" beyond max.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, colorMap: { prod: 'red', staging: 'gold' } },
  mockData: ['prod', 'staging', 'k8s-1.29', 'team-sre'],
  events: ['tagClick'],
  version: 1,
};
