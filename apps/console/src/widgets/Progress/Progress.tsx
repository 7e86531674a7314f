import { Progress as AntProgress, Typography, theme } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { defaults, type ProgressProps } from './meta.js';

export function progressPercent(p: ProgressProps, data: unknown): number {
  if (p.percent !== undefined) return p.percent;
  const v = Number(p.valuePath ? getPath(data, p.valuePath) : data);
  if (!Number.isFinite(v)) return 0;
  if (p.totalPath) {
    const total = Number(getPath(data, p.totalPath));
    return total > 0 ? Math.min(100, (v / total) * 100) : 0;
  }
  return Math.min(100, Math.max(0, v <= 1 && !Number.isInteger(v) ? v * 100 : v));
}

export function Progress({ props, data }: WidgetRenderProps<ProgressProps>) {
  const p = withDefaults(defaults, props);
  const pct = Math.round(progressPercent(p, data) * 10) / 10;
  const { token } = theme.useToken();
  const isError = p.errorAt !== undefined && pct >= p.errorAt;
  const isWarn = !isError && p.warnAt !== undefined && pct >= p.warnAt;
  // Usage bars: full is not "success" when thresholds are set.
  const status = isError ? 'exception' : pct >= 100 && p.warnAt === undefined ? 'success' : 'normal';
  const extra = p.totalPath ? `${String(getPath(data, p.valuePath ?? '') ?? 0)}/${String(getPath(data, p.totalPath) ?? 0)}` : undefined;
  return (
    <div>
      {p.title ? <Typography.Text type="secondary">{p.title}</Typography.Text> : null}
      <AntProgress percent={pct} type={p.type} status={status} strokeColor={isWarn ? token.colorWarning : undefined} size={p.size === 'small' ? 'small' : 'medium'} format={(x) => (extra ? `${extra}` : `${x}%`)} />
    </div>
  );
}
