import type { ReactNode } from 'react';
import { Empty, Spin } from 'antd';
import { ErrorBox } from '../common/ErrorBox.js';

/** Loading, error and empty states around a chart, at the chart's height so layouts do not jump. */
export function ChartFrame({ loading, error, empty, height, children }: { loading: boolean; error?: string; empty: boolean; height: number; children: ReactNode }) {
  if (error) return <ErrorBox message={error} />;
  if (empty && loading) return <Spin style={{ display: 'block', height, paddingTop: height / 2 - 10 }} />;
  if (empty) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ height, margin: 0, paddingTop: Math.max(0, height / 2 - 40) }} />;
  return <Spin spinning={loading}>{children}</Spin>;
}
