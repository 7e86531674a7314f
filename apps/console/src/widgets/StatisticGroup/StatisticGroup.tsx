import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { formatUnit } from '../charts/options.js';
import { defaults, type StatisticGroupProps } from './meta.js';

export function StatisticGroup({ props, data, loading }: WidgetRenderProps<StatisticGroupProps>) {
  const p = withDefaults(defaults, props);
  const rec = p.dataPath ? getPath(data, p.dataPath) : data;
  const items =
    p.items ?? (isRecord(rec) ? Object.entries(rec).filter(([, v]) => typeof v === 'number').map(([k]) => ({ label: k, field: k, unit: undefined, decimals: undefined })) : []);
  const span = Math.max(4, Math.floor(24 / Math.max(1, items.length)));
  const body = (
    <Row gutter={[16, 16]}>
      {items.map((it) => (
        <Col key={it.field} xs={12} md={span}>
          <Statistic loading={loading && rec === undefined} title={it.label} value={formatUnit(getPath(rec, it.field), it.unit ?? 'number', it.decimals)} />
        </Col>
      ))}
    </Row>
  );
  return p.bordered ? (
    <Card size="small" title={p.title}>
      {body}
    </Card>
  ) : (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      {body}
    </div>
  );
}
