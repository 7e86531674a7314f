import { Badge, Space, Tag, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { statusOf } from '../common/format.js';
import { defaults, type StatusBadgeProps } from './meta.js';

const TAG_COLOR = { success: 'success', processing: 'processing', error: 'error', warning: 'warning', default: 'default' } as const;

export function StatusBadge({ props, data }: WidgetRenderProps<StatusBadgeProps>) {
  const p = withDefaults(defaults, props);
  const raw = p.status ?? (p.field ? getPath(data, p.field) : data);
  const text = raw === undefined || raw === null ? '-' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  const st = statusOf(raw, p.map);
  return (
    <Space size={6}>
      {p.label ? <Typography.Text type="secondary">{p.label}</Typography.Text> : null}
      {p.variant === 'tag' ? <Tag color={TAG_COLOR[st]}>{text}</Tag> : <Badge status={st} text={text} />}
    </Space>
  );
}
