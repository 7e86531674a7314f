// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup, fireEvent, screen } from '@testing-library/react';
import { LogViewer } from './LogViewer.js';
import { meta } from './meta.js';
import { levelOf, stripAnsi, toLines, visibleRange } from './logs.js';

afterEach(cleanup);
const base = { loading: false, emit: vi.fn(), setOutput: vi.fn(), api: { request: vi.fn() } };

describe('log model', () => {
  it('strips ANSI colour and OSC sequences', () => {
    expect(stripAnsi('\u001b[1;31mERROR\u001b[0m boom \u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe('ERROR boom link');
  });
  it('merges Loki streams in time order with nanosecond timestamps', () => {
    const lines = toLines({
      status: 'success',
      data: { resultType: 'streams', result: [{ stream: { a: '1' }, values: [['1700000002000000000', 'second']] }, { stream: { a: '2' }, values: [['1700000001000000000', 'first']] }] },
    });
    expect(lines.map((l) => [l.ts, l.text, l.stream])).toEqual([
      [1700000001000, 'first', '{a="2"}'],
      [1700000002000, 'second', '{a="1"}'],
    ]);
  });
  it('detects levels and computes the visible window', () => {
    expect(levelOf('level=error msg=x')).toBe('error');
    expect(levelOf('2024 WARN disk')).toBe('warn');
    expect(levelOf('hello')).toBeUndefined();
    expect(visibleRange(2000, 400, 20, 100_000, 5)).toEqual([95, 125]);
  });
});

describe('LogViewer', () => {
  it('renders lines without ANSI and filters by search', () => {
    render(<LogViewer {...base} props={meta.defaults} data={meta.mockData} />);
    const box = screen.getByTestId('log-lines');
    expect(box.textContent).toContain('INFO step 1/4');
    expect(box.textContent).not.toContain('\u001b');
    fireEvent.change(screen.getByPlaceholderText('Search'), { target: { value: 'failed' } });
    expect(screen.getByText('1 / 5')).toBeTruthy();
    expect(box.querySelectorAll('mark')).toHaveLength(1);
    fireEvent.click(screen.getByLabelText('Only matches'));
    expect(box.querySelectorAll('[data-level]').length).toBe(1);
  });

  it('renders only a window of a 100k-line log', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `line ${i}`).join('\n');
    render(<LogViewer {...base} props={{ follow: false, height: 400 }} data={text} />);
    const rows = screen.getByTestId('log-lines').querySelectorAll('[data-level], div > div > div > div');
    expect(rows.length).toBeLessThan(200);
  });

  it('follow toggles', () => {
    render(<LogViewer {...base} props={{ follow: true }} data={'a\nb'} />);
    const btn = screen.getByText('Follow').closest('button')!;
    expect(btn.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(btn);
    expect(btn.getAttribute('aria-pressed')).toBe('false');
  });
});
