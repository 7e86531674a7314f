import { Card, Flex, Statistic, Typography, theme } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { formatUnit } from '../charts/options.js';
import { lastValue, promValue, toSeries } from '../charts/series.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { defaults, type StatCardProps } from './meta.js';

/** A single number out of the accepted data shapes. */
export function singleValue(data: unknown, path?: string): number | null {
  const v = path ? getPath(data, path) : data;
  if (typeof v === 'number' || typeof v === 'string') return promValue(v);
  if (isRecord(v) && 'value' in v && !Array.isArray(v.value)) return promValue(v.value);
  return lastValue(toSeries(v));
}

export function StatCard({ props, data, loading, error, emit }: WidgetRenderProps<StatCardProps>) {
  const p = withDefaults(defaults, props);
  const { token } = theme.useToken();
  if (error) return <ErrorBox message={error} />;
  const value = singleValue(data, p.valuePath);
  const prev = p.previousPath ? singleValue(data, p.previousPath) : null;
  const level = value === null ? undefined : [...(p.thresholds ?? [])].sort((a, b) => a.value - b.value).filter((t) => value >= t.value).pop()?.status;
  const color = level === 'error' ? token.colorError : level === 'warning' ? token.colorWarning : level === 'success' ? token.colorSuccess : token.colorText;
  const delta = value !== null && prev !== null ? value - prev : null;
  const good = delta === null || delta === 0 ? undefined : delta > 0 === p.higherIsBetter;
  return (
    <Card size="small" loading={loading && value === null} onClick={() => emit('click', { value })} hoverable={false}>
      <Statistic title={p.title} value={formatUnit(value, p.unit, p.decimals)} styles={{ content: { color } }} />
      <Flex gap={8} align="center">
        {delta !== null && delta !== 0 ? (
          <Typography.Text style={{ color: good ? token.colorSuccess : token.colorError }}>
            {delta > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {formatUnit(Math.abs(delta), p.unit, p.decimals)}
          </Typography.Text>
        ) : null}
        {p.description ? <Typography.Text type="secondary">{p.description}</Typography.Text> : null}
      </Flex>
    </Card>
  );
}
