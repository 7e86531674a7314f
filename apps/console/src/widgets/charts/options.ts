// ECharts option builders (pure functions of series + props + theme colours).
import type { EChartsCoreOption } from 'echarts/core';
import { formatBytes, formatDuration } from '../common/format.js';
import type { ChartUnit } from './schema.js';
import type { SeriesSet } from './series.js';

/** Colours taken from the antd theme tokens, so charts follow light and dark themes. */
export interface ChartTheme {
  text: string;
  textSecondary: string;
  border: string;
  split: string;
  bgElevated: string;
  palette: string[];
}

export function formatUnit(v: unknown, unit: ChartUnit = 'none', decimals?: number): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === null || v === undefined || !Number.isFinite(n)) return v === null || v === undefined ? '-' : String(v);
  const d = decimals ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 1 ? 2 : 3);
  switch (unit) {
    case 'percent':
      return `${(n * 100).toFixed(decimals ?? 1)}%`;
    case 'percent100':
      return `${n.toFixed(decimals ?? 1)}%`;
    case 'bytes':
      return formatBytes(n);
    case 'bytesPerSec':
      return `${formatBytes(n)}/s`;
    case 'seconds':
      return formatDuration(n * 1000);
    case 'ms':
      return formatDuration(n);
    case 'reqps':
      return `${+n.toFixed(d)} req/s`;
    case 'number':
      return n.toLocaleString(undefined, { maximumFractionDigits: d });
    default:
      return String(+n.toFixed(d));
  }
}

interface CommonOpts {
  title?: string;
  unit?: ChartUnit;
  decimals?: number;
  showLegend?: boolean;
}

function base(theme: ChartTheme, o: CommonOpts, hasTitle = !!o.title): EChartsCoreOption {
  return {
    color: theme.palette,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    title: hasTitle ? { text: o.title, left: 0, textStyle: { color: theme.text, fontSize: 14, fontWeight: 500 } } : undefined,
    tooltip: {
      backgroundColor: theme.bgElevated,
      borderColor: theme.border,
      textStyle: { color: theme.text },
    },
    legend: o.showLegend === false ? { show: false } : { type: 'scroll', bottom: 0, textStyle: { color: theme.textSecondary } },
  };
}

export interface CartesianOpts extends CommonOpts {
  kind: 'line' | 'area' | 'bar' | 'scatter';
  stack?: boolean;
  smooth?: boolean;
  dataZoom?: boolean;
  yMin?: number;
  yMax?: number;
  showSymbol?: boolean;
  horizontal?: boolean;
}

export function cartesianOption(set: SeriesSet, o: CartesianOpts, theme: ChartTheme): EChartsCoreOption {
  const zoom = o.dataZoom && set.xType !== 'category';
  const axisLine = { lineStyle: { color: theme.border } };
  const valueAxis = {
    type: 'value',
    min: o.yMin,
    max: o.yMax,
    axisLabel: { color: theme.textSecondary, formatter: (v: number) => formatUnit(v, o.unit, o.decimals) },
    splitLine: { lineStyle: { color: theme.split } },
    axisLine,
    scale: o.kind === 'scatter',
  };
  const xAxis = {
    type: set.xType,
    axisLabel: { color: theme.textSecondary, hideOverlap: true },
    axisLine,
    splitLine: { show: o.kind === 'scatter', lineStyle: { color: theme.split } },
    boundaryGap: o.kind === 'bar' && set.xType === 'category' ? true : undefined,
    scale: o.kind === 'scatter' && set.xType === 'value',
  };
  const legendBottom = o.showLegend !== false && set.series.length > 1;
  return {
    ...base(theme, o),
    legend: legendBottom ? { type: 'scroll', bottom: zoom ? 28 : 0, textStyle: { color: theme.textSecondary } } : { show: false },
    tooltip: {
      ...(base(theme, o).tooltip as object),
      trigger: o.kind === 'scatter' ? 'item' : 'axis',
      confine: true,
      valueFormatter: (v: unknown) => formatUnit(v, o.unit, o.decimals),
    },
    grid: { left: 8, right: 16, top: o.title ? 36 : 12, bottom: (legendBottom ? 28 : 4) + (zoom ? 32 : 0), outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: o.horizontal ? valueAxis : xAxis,
    yAxis: o.horizontal ? { ...xAxis, boundaryGap: true } : valueAxis,
    dataZoom: zoom ? [{ type: 'inside', filterMode: 'none' }, { type: 'slider', height: 18, bottom: 4, filterMode: 'none' }] : undefined,
    series: set.series.map((s) => ({
      name: s.name,
      type: o.kind === 'area' ? 'line' : o.kind,
      data: o.horizontal ? s.points.map(([x, y]) => [y, x]) : s.points,
      stack: o.stack ? 'total' : undefined,
      smooth: o.smooth,
      showSymbol: o.kind === 'scatter' ? true : o.showSymbol || s.points.length === 1,
      symbolSize: o.kind === 'scatter' ? 8 : 4,
      areaStyle: o.kind === 'area' ? { opacity: 0.25 } : undefined,
      connectNulls: false,
      sampling: o.kind === 'line' || o.kind === 'area' ? 'lttb' : undefined,
      emphasis: { focus: 'series' },
    })),
  };
}

export interface PieOpts extends CommonOpts {
  donut?: boolean;
  roseType?: boolean;
}

/** Pie slices: the last point of each series (Prometheus, rows by series), or one series' categories. */
export function pieSlices(set: SeriesSet): { name: string; value: number }[] {
  if (set.series.length === 1 && set.xType === 'category') return set.series[0].points.map(([x, y]) => ({ name: String(x), value: y ?? 0 }));
  return set.series.map((s) => {
    const last = [...s.points].reverse().find((p) => p[1] !== null);
    return { name: s.name, value: last?.[1] ?? 0 };
  });
}

export function pieOption(set: SeriesSet, o: PieOpts, theme: ChartTheme): EChartsCoreOption {
  return {
    ...base(theme, o),
    tooltip: { ...(base(theme, o).tooltip as object), trigger: 'item', valueFormatter: (v: unknown) => formatUnit(v, o.unit, o.decimals) },
    series: [
      {
        type: 'pie',
        radius: o.donut ? ['45%', '70%'] : '70%',
        center: ['50%', o.showLegend === false ? '50%' : '45%'],
        roseType: o.roseType ? 'radius' : undefined,
        data: pieSlices(set),
        label: { color: theme.textSecondary },
        itemStyle: { borderColor: theme.bgElevated, borderWidth: 1 },
      },
    ],
  };
}

export interface GaugeOpts extends CommonOpts {
  min?: number;
  max?: number;
  /** [fraction of range, colour] thresholds; colours are antd token names or CSS colours. */
  thresholds?: { value: number; color: string }[];
}

export function gaugeOption(value: number | null, o: GaugeOpts, theme: ChartTheme): EChartsCoreOption {
  const min = o.min ?? 0;
  const max = o.max ?? (o.unit === 'percent' ? 1 : 100);
  const steps = (o.thresholds ?? []).slice().sort((a, b) => a.value - b.value);
  const stops: [number, string][] = steps.length
    ? steps.map((s, i) => [i === steps.length - 1 ? 1 : Math.min(1, Math.max(0, (steps[i + 1].value - min) / (max - min))), s.color])
    : [[1, theme.palette[0]]];
  return {
    ...base(theme, o),
    series: [
      {
        type: 'gauge',
        min,
        max,
        progress: { show: !steps.length, width: 12 },
        axisLine: { lineStyle: { width: 12, color: steps.length ? stops : [[1, theme.split]] } },
        axisTick: { show: false },
        splitLine: { length: 8, lineStyle: { color: theme.border } },
        axisLabel: { color: theme.textSecondary, distance: 16, formatter: (v: number) => formatUnit(v, o.unit, 0) },
        pointer: { show: !!steps.length, itemStyle: { color: theme.text } },
        anchor: { show: false },
        title: { color: theme.textSecondary },
        detail: { valueAnimation: true, color: theme.text, fontSize: 22, offsetCenter: [0, '60%'], formatter: (v: number) => formatUnit(v, o.unit, o.decimals) },
        data: [{ value: value ?? 0, name: o.title ?? '' }],
      },
    ],
    title: undefined,
  };
}

export interface HeatmapCell {
  x: string | number;
  y: string;
  value: number | null;
}

export function heatmapOption(cells: HeatmapCell[], xType: 'time' | 'category', o: CommonOpts, theme: ChartTheme): EChartsCoreOption {
  const xs = [...new Set(cells.map((c) => c.x))];
  const ys = [...new Set(cells.map((c) => c.y))];
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null);
  const fmtX = (x: string | number) => (xType === 'time' ? new Date(x as number).toLocaleTimeString() : String(x));
  return {
    ...base(theme, o),
    tooltip: { ...(base(theme, o).tooltip as object), position: 'top', valueFormatter: (v: unknown) => formatUnit(v, o.unit, o.decimals) },
    grid: { left: 8, right: 16, top: o.title ? 36 : 12, bottom: 48, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'category', data: xs.map(fmtX), axisLabel: { color: theme.textSecondary }, axisLine: { lineStyle: { color: theme.border } } },
    yAxis: { type: 'category', data: ys, axisLabel: { color: theme.textSecondary }, axisLine: { lineStyle: { color: theme.border } } },
    visualMap: {
      min: values.length ? Math.min(...values) : 0,
      max: values.length ? Math.max(...values) : 1,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      textStyle: { color: theme.textSecondary },
      inRange: { color: [theme.split, theme.palette[0]] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells.map((c) => [xs.indexOf(c.x), ys.indexOf(c.y), c.value ?? '-']),
        emphasis: { itemStyle: { borderColor: theme.text, borderWidth: 1 } },
      },
    ],
  };
}

/** Heatmap cells from a series set: rows use x/y/value fields; Prometheus histograms use the `le` label as y. */
export function heatmapCells(set: SeriesSet): HeatmapCell[] {
  const cells: HeatmapCell[] = [];
  const ordered = [...set.series].sort((a, b) => {
    const la = parseFloat(a.labels?.le ?? 'NaN');
    const lb = parseFloat(b.labels?.le ?? 'NaN');
    return Number.isNaN(la) || Number.isNaN(lb) ? 0 : la - lb;
  });
  for (const s of ordered) {
    const y = s.labels?.le ?? s.name;
    for (const [x, v] of s.points) cells.push({ x, y, value: v });
  }
  return cells;
}
