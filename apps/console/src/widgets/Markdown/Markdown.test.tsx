// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup } from '@testing-library/react';
import { Markdown } from './Markdown.js';

afterEach(cleanup);

const show = (content: string) =>
  render(<Markdown props={{ content }} data={undefined} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request: vi.fn() }} />).container;

describe('Markdown', () => {
  it('renders headings, lists, tables and code', () => {
    const c = show('# T\n\n- a\n- **b**\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```yaml\nk: v\n```');
    expect(c.querySelector('h1')?.textContent).toBe('T');
    expect(c.querySelectorAll('li')).toHaveLength(2);
    expect(c.querySelector('strong')?.textContent).toBe('b');
    expect(c.querySelector('td')?.textContent).toBe('1');
    expect(c.querySelector('pre code')?.textContent).toBe('k: v');
  });

  it('never interprets raw HTML or script URLs', () => {
    const c = show('<img src=x onerror="alert(1)">\n\nhi <b onclick="x()">there</b> [x](javascript:alert(1)) ![i](javascript:alert(2))\n\n<script>alert(3)</script>');
    expect(c.querySelector('img')).toBeNull();
    expect(c.querySelector('script')).toBeNull();
    expect(c.querySelector('b')).toBeNull();
    expect(c.querySelector('a')).toBeNull();
    expect(c.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it('keeps safe links', () => {
    const a = show('[docs](https://example.com/a?b=1&c=2)').querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com/a?b=1&c=2');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
