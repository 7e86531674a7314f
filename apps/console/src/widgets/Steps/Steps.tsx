import { Steps as AntSteps } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { extractRows } from '../common/rows.js';
import { statusOf } from '../common/format.js';
import { defaults, type StepsProps } from './meta.js';

type StepStatus = 'wait' | 'process' | 'finish' | 'error';
const MAP: Record<string, StepStatus> = { success: 'finish', processing: 'process', error: 'error', warning: 'error', default: 'wait' };

export function stepStatuses(statuses: unknown[]): { statuses: (StepStatus | undefined)[]; current: number } {
  const s = statuses.map((v) => (v === undefined || v === null ? undefined : MAP[statusOf(v)]));
  const firstOpen = s.findIndex((x) => x !== 'finish');
  return { statuses: s, current: firstOpen === -1 ? s.length - 1 : firstOpen };
}

export function Steps({ props, data, emit }: WidgetRenderProps<StepsProps>) {
  const p = withDefaults(defaults, props);
  const rows = p.items
    ? p.items.map((it) => ({ [p.titleField]: it.title, [p.descriptionField]: it.description }) as Record<string, unknown>)
    : extractRows(data, p.dataPath);
  const { statuses, current } = stepStatuses(rows.map((r) => getPath(r, p.statusField)));
  return (
    <AntSteps
      current={p.current ?? current}
      orientation={p.vertical ? 'vertical' : 'horizontal'}
      size={p.size}
      onChange={(i) => emit('change', i)}
      items={rows.map((r, i) => ({
        title: String(getPath(r, p.titleField) ?? `#${i + 1}`),
        content: getPath(r, p.descriptionField) as string | undefined,
        status: statuses[i],
      }))}
    />
  );
}
