import { describe, it, expect } from 'vitest';
import { lastValue, seriesName, toSeries } from './series.js';
import { cartesianOption, formatUnit, pieSlices, type ChartTheme } from './options.js';

const theme: ChartTheme = { text: '#000', textSecondary: '#666', border: '#ccc', split: '#eee', bgElevated: '#fff', palette: ['#1677ff', '#52c41a'] };

const matrix = {
  resultType: 'matrix',
  result: [
    { metric: { __name__: 'up', instance: 'a:9100', job: 'node' }, values: [[1700000000, '1'], [1700000015.5, '0'], [1700000030, 'NaN']] },
    { metric: { instance: 'b:9100', job: 'node' }, values: [[1700000000, '+Inf']] },
  ],
};

describe('toSeries', () => {
  it('converts a Prometheus matrix into time series in milliseconds', () => {
    const set = toSeries(matrix);
    expect(set.xType).toBe('time');
    expect(set.series.map((s) => s.name)).toEqual(['up{instance="a:9100", job="node"}', '{instance="b:9100", job="node"}']);
    expect(set.series[0].points).toEqual([
      [1700000000000, 1],
      [1700000015500, 0],
      [1700000030000, null],
    ]);
    expect(set.series[1].points).toEqual([[1700000000000, null]]);
    expect(lastValue(set)).toBe(0);
  });

  it('unwraps the API envelope and applies a legend format', () => {
    const set = toSeries({ status: 'success', data: matrix }, { legendFormat: '{{instance}} ({{job}})' });
    expect(set.series.map((s) => s.name)).toEqual(['a:9100 (node)', 'b:9100 (node)']);
  });

  it('turns an instant vector into categories', () => {
    const set = toSeries({ resultType: 'vector', result: [{ metric: { pod: 'p1' }, value: [1, '3'] }, { metric: { pod: 'p2' }, value: [1, '5'] }] }, { legendFormat: '{{pod}}' });
    expect(set.xType).toBe('category');
    expect(set.series[0].points).toEqual([
      ['p1', 3],
      ['p2', 5],
    ]);
    expect(pieSlices(set)).toEqual([
      { name: 'p1', value: 3 },
      { name: 'p2', value: 5 },
    ]);
  });

  it('groups plain rows by series and sorts time x values', () => {
    const rows = [
      { x: '2024-01-02T00:00:00Z', y: 2, series: 'a' },
      { x: '2024-01-01T00:00:00Z', y: 1, series: 'a' },
      { x: '2024-01-01T00:00:00Z', y: 5, series: 'b' },
    ];
    const set = toSeries(rows, { seriesField: 'series' });
    expect(set.xType).toBe('time');
    expect(set.series).toEqual([
      { name: 'a', points: [[Date.parse('2024-01-01T00:00:00Z'), 1], [Date.parse('2024-01-02T00:00:00Z'), 2]] },
      { name: 'b', points: [[Date.parse('2024-01-01T00:00:00Z'), 5]] },
    ]);
  });

  it('makes one series per y field and keeps category order', () => {
    const set = toSeries([{ app: 'x', cpu: 1, mem: 2 }, { app: 'y', cpu: 3, mem: 4 }], { xField: 'app', yField: ['cpu', 'mem'] });
    expect(set.xType).toBe('category');
    expect(set.series.map((s) => [s.name, s.points])).toEqual([
      ['cpu', [['x', 1], ['y', 3]]],
      ['mem', [['x', 2], ['y', 4]]],
    ]);
  });

  it('names unlabelled series {}', () => {
    expect(seriesName({})).toBe('{}');
  });
});

describe('chart options', () => {
  it('adds dataZoom on time axes only and stacks when asked', () => {
    const opt = cartesianOption(toSeries(matrix), { kind: 'area', stack: true, dataZoom: true }, theme) as Record<string, any>;
    expect(opt.xAxis.type).toBe('time');
    expect(opt.dataZoom).toHaveLength(2);
    expect(opt.series[0]).toMatchObject({ type: 'line', stack: 'total', areaStyle: { opacity: 0.25 } });
    const cat = cartesianOption(toSeries([{ x: 'a', y: 1 }]), { kind: 'bar', dataZoom: true }, theme) as Record<string, any>;
    expect(cat.dataZoom).toBeUndefined();
  });

  it('formats units', () => {
    expect(formatUnit(0.5, 'percent')).toBe('50.0%');
    expect(formatUnit(2048, 'bytesPerSec')).toBe('2.00 KiB/s');
    expect(formatUnit(null)).toBe('-');
  });
});
