// Props every chart widget shares; no React, so metas stay server-loadable.
import { z } from 'zod';

export const unitSchema = z.enum(['none', 'number', 'percent', 'percent100', 'bytes', 'bytesPerSec', 'seconds', 'ms', 'reqps']);

export const chartBase = {
  title: z.string().optional(),
  height: z.number().int().min(40).max(2000).optional(),
  dataPath: z.string().optional(),
  xField: z.string().optional(),
  yField: z.union([z.string(), z.array(z.string())]).optional(),
  seriesField: z.string().optional(),
  legendFormat: z.string().optional().describe('Prometheus series name, e.g. "{{instance}}"'),
  unit: unitSchema.optional(),
  decimals: z.number().int().min(0).max(10).optional(),
  showLegend: z.boolean().optional(),
};

export const cartesianExtra = {
  stack: z.boolean().optional(),
  smooth: z.boolean().optional(),
  /** zoom slider and mouse-wheel zoom on time axes; emits "zoom" with {from, to}. */
  dataZoom: z.boolean().optional(),
  yMin: z.number().optional(),
  yMax: z.number().optional(),
  showSymbol: z.boolean().optional(),
  horizontal: z.boolean().optional(),
};

export type ChartUnit = z.infer<typeof unitSchema>;

const cartesian = z.object({ ...chartBase, ...cartesianExtra });
export type CartesianChartProps = z.infer<typeof cartesian>;
export const cartesianSchema = cartesian;

export const cartesianDefaults = {
  height: 280,
  unit: 'none',
  showLegend: true,
  stack: false,
  smooth: false,
  dataZoom: true,
  showSymbol: false,
  horizontal: false,
} satisfies CartesianChartProps;

const DAY = 86400;
const t0 = 1_714_557_600; // 2024-05-01T10:00:00Z, a fixed start keeps mocks deterministic

/** A small Prometheus matrix: request rate of two instances, 30 samples a minute apart. */
export function mockMatrix(names: string[] = ['10.0.0.1:9100', '10.0.0.2:9100'], scale = 1): unknown {
  return {
    resultType: 'matrix',
    result: names.map((instance, s) => ({
      metric: { __name__: 'http_requests_per_second', instance, job: 'api' },
      values: Array.from({ length: 30 }, (_, i) => [t0 + i * 60, String(+(scale * (20 + 10 * Math.sin((i + s * 7) / 4) + s * 5)).toFixed(3))]),
    })),
  };
}

export const mockRows = Array.from({ length: 7 }, (_, i) => [
  { x: new Date((t0 + i * DAY) * 1000).toISOString(), y: 40 + ((i * 13) % 25), series: 'deploys' },
  { x: new Date((t0 + i * DAY) * 1000).toISOString(), y: 5 + ((i * 7) % 9), series: 'rollbacks' },
]).flat();
