import { Flex, Tag, Tooltip } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { defaults, type TagListProps } from './meta.js';

export function tagsOf(v: unknown, labelField: string, colorField: string): { label: string; color?: string }[] {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean).map((label) => ({ label }));
  if (Array.isArray(v))
    return v.map((x) => (isRecord(x) ? { label: String(getPath(x, labelField) ?? x.name ?? ''), color: x[colorField] as string | undefined } : { label: String(x) }));
  if (isRecord(v)) return Object.entries(v).map(([k, x]) => ({ label: `${k}=${String(x)}` }));
  return [];
}

export function TagList({ props, data, emit }: WidgetRenderProps<TagListProps>) {
  const p = withDefaults(defaults, props);
  const tags = tagsOf(p.dataPath ? getPath(data, p.dataPath) : data, p.labelField, p.colorField);
  const shown = p.max ? tags.slice(0, p.max) : tags;
  const hidden = tags.length - shown.length;
  return (
    <Flex wrap gap={4}>
      {shown.map((t, i) => (
        <Tag key={i} color={t.color ?? p.colorMap?.[t.label]} style={p.clickable ? { cursor: 'pointer' } : undefined} onClick={p.clickable ? () => emit('tagClick', t.label) : undefined}>
          {t.label}
        </Tag>
      ))}
      {hidden > 0 ? (
        <Tooltip title={tags.slice(shown.length).map((t) => t.label).join(', ')}>
          <Tag>+{hidden}</Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}
