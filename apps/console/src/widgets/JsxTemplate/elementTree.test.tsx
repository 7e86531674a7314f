// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup, fireEvent, screen } from '@testing-library/react';
import { renderElementTree, type ElementNode } from './elementTree.js';
import { JsxTemplate } from './JsxTemplate.js';
import { Space } from 'antd';
import { slotItems } from '../common/slots.js';
import { Row, columnSpans } from '../Row/Row.js';

afterEach(cleanup);

const show = (tree: ElementNode, emit = vi.fn()) => render(<div data-testid="root">{renderElementTree(tree, { emit })}</div>).getByTestId('root');

describe('element tree', () => {
  it('renders allow-listed HTML, antd and common components', () => {
    const root = show({
      type: 'div',
      children: [
        { type: 'antd.Tag', props: { color: 'blue' }, children: 'HEALTH' },
        { type: 'common.DateTime', props: { value: 0 } },
        { type: 'StatusBadge', props: { value: 'Running' } },
        { type: 'ul', children: ['a', 'b'].map((x) => ({ type: 'li', children: x })) },
      ],
    });
    expect(root.querySelector('.ant-tag')?.textContent).toBe('HEALTH');
    expect(root.querySelector('.ant-badge-status-success')).not.toBeNull();
    expect(root.querySelectorAll('li')).toHaveLength(2);
  });

  it('drops handlers, raw HTML and script URLs; shows unknown types as placeholders', () => {
    const root = show({
      type: 'div',
      props: { onClick: 'alert(1)', dangerouslySetInnerHTML: { __html: '<img src=x onerror=alert(1)>' }, style: { background: 'url(https://evil/x)', color: 'red' } },
      children: [
        { type: 'a', props: { href: 'javascript:alert(1)' }, children: 'bad link' },
        { type: 'a', props: { href: 'https://ok.example/', target: '_blank' }, children: 'good link' },
        { type: 'script', children: 'alert(1)' },
        { type: 'iframe', props: { src: 'https://evil' } },
      ],
    });
    const div = root.firstElementChild as HTMLElement;
    expect(div.getAttribute('onclick')).toBeNull();
    expect(root.querySelector('img')).toBeNull();
    expect(div.style.background).toBe('');
    expect(div.style.color).toBe('red');
    const links = root.querySelectorAll('a');
    expect(links[0].getAttribute('href')).toBeNull();
    expect(links[1].getAttribute('href')).toBe('https://ok.example/');
    expect(links[1].getAttribute('rel')).toBe('noopener noreferrer');
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('iframe')).toBeNull();
    expect(root.textContent).toContain('Unknown element <script>');
  });

  it('turns {emit} handlers into events', () => {
    const emit = vi.fn();
    show({ type: 'Button', props: { onClick: { emit: 'restart', payload: { id: 'p1' } } }, children: 'Restart' }, emit);
    fireEvent.click(screen.getByText('Restart'));
    expect(emit).toHaveBeenCalledWith('restart', { id: 'p1' });
  });

  it('refuses trees beyond the depth limit with a visible error', () => {
    let deep: ElementNode = 'x';
    for (let i = 0; i < 100; i++) deep = { type: 'div', children: deep };
    expect(() => renderElementTree(deep)).toThrow(/deeper than/);
    render(<JsxTemplate props={{ content: deep }} data={undefined} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request: vi.fn() }} />);
    expect(screen.getByText(/template: element tree is deeper than/)).toBeTruthy();
  });

  it('passes React elements from the runtime through and renders function content', () => {
    const root = show(['a', <b key="x">trusted</b>]);
    expect(root.querySelector('b')?.textContent).toBe('trusted');
    const fn = vi.fn((l: Record<string, unknown>) => <i>{`rows:${(l.data as unknown[]).length}`}</i>);
    render(<JsxTemplate props={{ content: fn as never }} data={[1, 2, 3]} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request: vi.fn() }} />);
    expect(screen.getByText('rows:3')).toBeTruthy();
    expect(fn).toHaveBeenCalledWith({ data: [1, 2, 3], loading: false });
  });
});

describe('slots', () => {
  it('layout containers take the nodes out of the runtime\'s vertical Space', () => {
    const slot = (
      <Space orientation="vertical">
        <div>one</div>
        <div>two</div>
      </Space>
    );
    expect(slotItems({ default: slot }, 'default')).toHaveLength(2);
    expect(slotItems({ default: [<p key="1">a</p>, <p key="2">b</p>, <p key="3">c</p>] }, 'default')).toHaveLength(3);
    const { container } = render(<Row props={{ spans: [8, 16] }} data={undefined} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request: vi.fn() }} slots={{ default: slot }} />);
    expect(container.querySelectorAll('.ant-col')).toHaveLength(2);
    expect(columnSpans(3, [12])).toEqual([12, 6, 6]);
  });
});
