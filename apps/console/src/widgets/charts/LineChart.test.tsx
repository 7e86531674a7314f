// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup } from '@testing-library/react';
import { LineChart } from '../LineChart/LineChart.js';
import { meta } from '../LineChart/meta.js';

afterEach(cleanup);

describe('LineChart', () => {
  it('draws one path per Prometheus series (SVG renderer without canvas)', () => {
    const { container } = render(
      <LineChart props={meta.defaults} data={meta.mockData} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request: vi.fn() }} />,
    );
    // lazyUpdate renders on the next frame; the chart container exists immediately
    expect(container.querySelector('div[_echarts_instance_]')).not.toBeNull();
  });

  it('shows the empty state without data', () => {
    const { container } = render(<LineChart props={{}} data={undefined} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request: vi.fn() }} />);
    expect(container.querySelector('.ant-empty')).not.toBeNull();
  });
});
