import { Descriptions as AntDescriptions } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { extractRows } from '../common/rows.js';
import { FieldValue } from '../common/FieldValue.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { defaults, type DescriptionsProps } from './meta.js';

export function recordOf(data: unknown, dataPath?: string): Record<string, unknown> {
  const v = dataPath ? getPath(data, dataPath) : data;
  if (isRecord(v) && !Array.isArray(v.items)) return v;
  return extractRows(v)[0] ?? {};
}

export function Descriptions({ props, data, error }: WidgetRenderProps<DescriptionsProps>) {
  const p = withDefaults(defaults, props);
  if (error) return <ErrorBox message={error} />;
  const rec = recordOf(data, p.dataPath);
  const items = p.items ?? Object.keys(rec).map((k) => ({ field: k, label: k, format: undefined, span: undefined }));
  return (
    <AntDescriptions
      title={p.title}
      column={p.column}
      bordered={p.bordered}
      size={p.size}
      items={items.map((it) => ({ key: it.field, label: it.label ?? it.field, span: it.span, children: <FieldValue value={getPath(rec, it.field)} format={it.format} /> }))}
    />
  );
}
