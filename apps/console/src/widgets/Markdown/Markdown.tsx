import { useMemo } from 'react';
import { Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { renderMarkdown } from './render.js';
import { defaults, type MarkdownProps } from './meta.js';

export function Markdown({ props, data }: WidgetRenderProps<MarkdownProps>) {
  const p = withDefaults(defaults, props);
  const raw = p.content ?? (p.field ? getPath(data, p.field) : data);
  const src = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw, null, 2);
  const nodes = useMemo(() => renderMarkdown(src), [src]);
  return <Typography>{nodes}</Typography>;
}
