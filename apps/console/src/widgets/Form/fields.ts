// Field schema shared by Form and FilterBar, plus the pure value logic (no React). No YAML here:
// metas import this file, and metas are in the initial bundle.
import { z } from 'zod';
import { getPath, isRecord } from '../common/props.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const fieldTypes = [
  'text',
  'textarea',
  'password',
  'number',
  'select',
  'multiSelect',
  'switch',
  'checkbox',
  'checkboxGroup',
  'radio',
  'date',
  'dateTime',
  'dateRange',
  'json',
  'yaml',
  'slider',
] as const;

export const optionSchema = z.object({ label: z.string(), value: scalar, parent: scalar.optional(), disabled: z.boolean().optional() });

export const fieldSchema = z.object({
  name: z.string().min(1).describe('value key; dots make nested values ("spec.replicas")'),
  label: z.string().optional(),
  type: z.enum(fieldTypes),
  required: z.boolean().optional(),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  defaultValue: z.any().optional(),
  disabled: z.boolean().optional(),
  /** regular expression the text must match (whole value). */
  pattern: z.string().optional(),
  patternMessage: z.string().optional(),
  /** numbers: value range; text: length range; multiSelect/checkboxGroup: count range. */
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive().optional(),
  rows: z.number().int().min(1).max(60).optional(),
  options: z.array(optionSchema).optional(),
  /** options from the node's data: path to an array of records or scalars. */
  optionsPath: z.string().optional(),
  labelKey: z.string().optional(),
  valueKey: z.string().optional(),
  /** parent key of data options, matched against the first dependsOn field's value (cascading selects). */
  parentKey: z.string().optional(),
  /** fields this one depends on: it is cleared when they change and disabled while they are empty. */
  dependsOn: z.array(z.string()).optional(),
  visibleWhen: z
    .object({ field: z.string(), equals: scalar.optional(), in: z.array(scalar).optional(), notEmpty: z.boolean().optional() })
    .optional(),
  /** JSON/YAML fields: submit the parsed value (default) or the text. */
  parse: z.boolean().optional(),
  span: z.number().int().min(1).max(24).optional(),
});

export type FieldDef = z.infer<typeof fieldSchema>;
export type FieldOption = z.infer<typeof optionSchema>;

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function fieldVisible(f: FieldDef, values: Record<string, unknown>): boolean {
  const w = f.visibleWhen;
  if (!w) return true;
  const v = getPath(values, w.field);
  if (w.notEmpty) return !isEmpty(v);
  if (w.in) return w.in.some((x) => String(x) === String(v));
  if (w.equals !== undefined) return String(w.equals) === String(v);
  return true;
}

/** A field's choices: static options, or records under optionsPath, filtered by the parent field. */
export function fieldOptions(f: FieldDef, data: unknown, values: Record<string, unknown>): FieldOption[] {
  let opts: FieldOption[] = f.options ?? [];
  if (f.optionsPath) {
    const raw = getPath(data, f.optionsPath);
    const list = Array.isArray(raw) ? raw : [];
    const lk = f.labelKey ?? 'label';
    const vk = f.valueKey ?? 'value';
    const pk = f.parentKey ?? 'parent';
    opts = list.map((item) => {
      if (!isRecord(item)) return { label: String(item), value: item as string };
      const value = (getPath(item, vk) ?? item.id ?? item.name) as string;
      return { label: String(getPath(item, lk) ?? item.name ?? value), value, parent: item[pk] as string | undefined };
    });
  }
  const dep = f.dependsOn?.[0];
  if (dep && opts.some((o) => o.parent !== undefined)) {
    const pv = getPath(values, dep);
    opts = opts.filter((o) => o.parent === undefined || String(o.parent) === String(pv));
  }
  return opts;
}

export function validatePattern(f: FieldDef): RegExp | undefined {
  if (!f.pattern) return undefined;
  // Anchored so "^[a-z]+$" and "[a-z]+" mean the same thing: the whole value.
  return new RegExp(`^(?:${f.pattern})$`);
}
