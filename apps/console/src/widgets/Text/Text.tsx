import { Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { defaults, type TextProps } from './meta.js';

export function Text({ props, data }: WidgetRenderProps<TextProps>) {
  const p = withDefaults(defaults, props);
  const raw = p.content ?? (p.field ? getPath(data, p.field) : data);
  const text = raw === undefined || raw === null ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  const type = p.type === 'default' ? undefined : p.type;
  if (p.level) {
    return (
      <Typography.Title level={p.level as 1 | 2 | 3 | 4 | 5} type={type} copyable={p.copyable} ellipsis={p.ellipsisRows ? { rows: p.ellipsisRows } : false}>
        {text}
      </Typography.Title>
    );
  }
  return (
    <Typography.Paragraph type={type} strong={p.strong} code={p.code} copyable={p.copyable} ellipsis={p.ellipsisRows ? { rows: p.ellipsisRows, expandable: true } : false} style={{ marginBottom: 0 }}>
      {text}
    </Typography.Paragraph>
  );
}
