import { Timeline as AntTimeline, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { extractRows } from '../common/rows.js';
import { formatDateTime, formatRelative, statusOf } from '../common/format.js';
import { defaults, type TimelineProps } from './meta.js';

const COLORS = { success: 'green', processing: 'blue', error: 'red', warning: 'orange', default: 'gray' } as const;

export function Timeline({ props, data, emit }: WidgetRenderProps<TimelineProps>) {
  const p = withDefaults(defaults, props);
  const rows = extractRows(data, p.dataPath);
  const ordered = p.reverse ? [...rows].reverse() : rows;
  return (
    <AntTimeline
      mode={p.mode}
      items={ordered.map((r, i) => {
        const time = getPath(r, p.timeField);
        const content = getPath(r, p.contentField);
        return {
          key: i,
          color: COLORS[statusOf(getPath(r, p.statusField))],
          title: time === undefined ? undefined : <Typography.Text type="secondary">{p.relative ? formatRelative(time) : formatDateTime(time)}</Typography.Text>,
          content: (
            <div onClick={() => emit('itemClick', r)}>
              <Typography.Text strong>{String(getPath(r, p.titleField) ?? '')}</Typography.Text>
              {content !== undefined ? <div>{typeof content === 'object' ? JSON.stringify(content) : String(content)}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}
