import type { ReactNode } from 'react';
import { Badge, Tag, Typography } from 'antd';
import { formatValue, statusOf, type ValueFormat } from './format.js';

export type DisplayFormat = ValueFormat | 'badge' | 'tag' | 'code';

/** One value shown in a given format (Descriptions, KeyValue). */
export function FieldValue({ value, format = 'text' }: { value: unknown; format?: DisplayFormat }): ReactNode {
  if (value === undefined || value === null || value === '') return <Typography.Text type="secondary">-</Typography.Text>;
  if (format === 'badge') return <Badge status={statusOf(value)} text={String(value)} />;
  if (format === 'tag') return (Array.isArray(value) ? value : [value]).map((v, i) => <Tag key={i}>{String(v)}</Tag>);
  if (format === 'code') return <Typography.Text code copyable>{String(value)}</Typography.Text>;
  if (format === 'text' && typeof value === 'object') return <Typography.Text code>{JSON.stringify(value)}</Typography.Text>;
  return formatValue(value, format);
}
