import type { ReactNode } from 'react';
import { Checkbox, DatePicker, Input, InputNumber, Radio, Select, Slider, Switch } from 'antd';
import type { FormRule } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Translate } from '../common/i18n.js';
import { getPath } from '../common/props.js';
import { isEmpty, validatePattern, type FieldDef, type FieldOption } from './fields.js';
import { parseStructured, structuredError, toEditText } from './structured.js';

export const namePath = (name: string): string[] => name.split('.');

/** antd rules for a field; messages name the field. */
export function fieldRules(f: FieldDef, t: Translate): FormRule[] {
  const label = f.label ?? f.name;
  const rules: FormRule[] = [];
  if (f.required && (f.type === 'checkbox' || f.type === 'switch')) {
    // "Required" on a tick box means it must be ticked (an "I understand" confirmation).
    rules.push({
      validator: async (_r, v) => {
        if (v !== true) throw new Error(`${label} ${t('is required')}`);
      },
    });
  } else if (f.required) rules.push({ required: true, message: `${label} ${t('is required')}` });
  const re = validatePattern(f);
  if (re) {
    rules.push({
      validator: async (_r, v) => {
        if (!isEmpty(v) && !re.test(String(v))) throw new Error(f.patternMessage ? `${label}: ${f.patternMessage}` : `${label} ${t('does not match the pattern')} ${f.pattern}`);
      },
    });
  }
  if (f.min !== undefined || f.max !== undefined) {
    rules.push({
      validator: async (_r, v) => {
        if (isEmpty(v)) return;
        const isCount = Array.isArray(v);
        const isLength = !isCount && typeof v === 'string' && f.type !== 'number' && f.type !== 'slider';
        const n = isCount ? v.length : isLength ? v.length : Number(v);
        const unit = isLength ? ` ${t('characters')}` : '';
        if (f.min !== undefined && n < f.min) throw new Error(`${label} ${t('must be at least')} ${f.min}${unit}`);
        if (f.max !== undefined && n > f.max) throw new Error(`${label} ${t('must be at most')} ${f.max}${unit}`);
      },
    });
  }
  if (f.type === 'json' || f.type === 'yaml') {
    const kind = f.type;
    rules.push({
      validator: async (_r, v) => {
        const err = typeof v === 'string' ? structuredError(kind, v) : undefined;
        if (err) throw new Error(`${label}: ${t(kind === 'json' ? 'Invalid JSON' : 'Invalid YAML')}: ${err}`);
      },
    });
  }
  return rules;
}

export function fieldInput(f: FieldDef, options: FieldOption[], disabled: boolean): ReactNode {
  const common = { disabled: disabled || f.disabled, placeholder: f.placeholder };
  switch (f.type) {
    case 'textarea':
      return <Input.TextArea {...common} rows={f.rows ?? 3} />;
    case 'password':
      return <Input.Password {...common} autoComplete="new-password" />;
    case 'number':
      // No min/max here: the input would clamp silently; the rule explains the limit instead.
      return <InputNumber {...common} step={f.step} style={{ width: "100%" }} />;
    case 'select':
      return <Select {...common} allowClear showSearch={{ optionFilterProp: 'label' }} options={options} />;
    case 'multiSelect':
      return <Select {...common} mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={options} />;
    case 'switch':
      return <Switch disabled={common.disabled} />;
    case 'checkbox':
      return <Checkbox disabled={common.disabled}>{f.placeholder}</Checkbox>;
    case 'checkboxGroup':
      return <Checkbox.Group disabled={common.disabled} options={options} />;
    case 'radio':
      return <Radio.Group disabled={common.disabled} options={options} />;
    case 'date':
      return <DatePicker disabled={common.disabled} style={{ width: '100%' }} />;
    case 'dateTime':
      return <DatePicker disabled={common.disabled} showTime style={{ width: '100%' }} />;
    case 'dateRange':
      return <DatePicker.RangePicker disabled={common.disabled} showTime style={{ width: '100%' }} />;
    case 'slider':
      return <Slider disabled={common.disabled} min={f.min} max={f.max} step={f.step} />;
    case 'json':
    case 'yaml':
      return <Input.TextArea {...common} rows={f.rows ?? 6} spellCheck={false} style={{ fontFamily: 'var(--ant-font-family-code, monospace)' }} />;
    default:
      return <Input {...common} />;
  }
}

export function valuePropName(f: FieldDef): string {
  return f.type === 'switch' || f.type === 'checkbox' ? 'checked' : 'value';
}

function toDayjs(v: unknown): Dayjs | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const d = dayjs(v as string | number);
  return d.isValid() ? d : undefined;
}

function setPath(obj: Record<string, unknown>, path: string[], v: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = v;
}

function hasPath(obj: unknown, path: string[]): boolean {
  let cur = obj;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null || !(k in cur)) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return true;
}

/** Plain values (ISO dates, objects) → what the antd inputs hold (dayjs, YAML/JSON text). */
export function toFormValues(fields: FieldDef[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(raw);
  for (const f of fields) {
    const v = getPath(raw, f.name) ?? f.defaultValue;
    if (v === undefined) continue;
    let fv: unknown = v;
    if (f.type === 'date' || f.type === 'dateTime') fv = toDayjs(v);
    else if (f.type === 'dateRange') fv = Array.isArray(v) ? v.map(toDayjs) : undefined;
    else if (f.type === 'json' || f.type === 'yaml') fv = toEditText(f.type, v);
    setPath(out, namePath(f.name), fv);
  }
  return out;
}

/** antd values → submitted values: dates as ISO strings, JSON/YAML parsed (unless parse: false). */
export function fromFormValues(fields: FieldDef[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const path = namePath(f.name);
    const v = getPath(values, f.name);
    // Hidden fields are unmounted (preserve=false) and absent: they are not submitted.
    if (!hasPath(values, path)) continue;
    let sv: unknown = v;
    if (dayjs.isDayjs(v)) sv = f.type === 'date' ? v.format('YYYY-MM-DD') : v.toISOString();
    else if (f.type === 'dateRange' && Array.isArray(v)) sv = v.map((d) => (dayjs.isDayjs(d) ? d.toISOString() : d));
    else if ((f.type === 'json' || f.type === 'yaml') && f.parse !== false) sv = parseStructured(f.type, v);
    else if (typeof v === 'string' && f.type !== 'password' && f.type !== 'textarea') sv = v.trim();
    setPath(out, path, sv);
  }
  return out;
}
