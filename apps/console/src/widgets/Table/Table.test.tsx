// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, fireEvent, cleanup, screen, within, configure } from '@testing-library/react';
import { Table } from './Table.js';
import type { TableProps } from './meta.js';

afterEach(cleanup);
// The shared CI machine can be slow; antd validation and popups are async.
configure({ asyncUtilTimeout: 5000 });

function setup(props: TableProps, data: unknown) {
  const emit = vi.fn();
  const setQuery = vi.fn();
  const setOutput = vi.fn();
  const api = { request: vi.fn() };
  const utils = render(<Table props={props} data={data} loading={false} emit={emit} setOutput={setOutput} setQuery={setQuery} api={api} />);
  return { ...utils, emit, setQuery, setOutput };
}

const rows = Array.from({ length: 45 }, (_, i) => ({ id: `r${i}`, name: `app-${String(i).padStart(2, '0')}`, cpu: (i * 7) % 13 }));

describe('Table', () => {
  it('server paging calls setQuery with the next page', () => {
    const { setQuery, container } = setup({ columns: [{ dataIndex: 'name', title: 'Name' }], pagination: { mode: 'server', pageSize: 10 } }, { items: rows.slice(0, 10), total: 45 });
    expect(container.querySelectorAll('tbody tr.ant-table-row').length).toBe(10);
    fireEvent.click(container.querySelector('.ant-pagination-item-2')!);
    expect(setQuery).toHaveBeenCalledWith({ page: 2, pageSize: 10 });
  });

  it('server sorting calls setQuery with sortField and sortOrder, back on page 1', () => {
    const { setQuery, container } = setup(
      { columns: [{ dataIndex: 'name', title: 'Name', sorter: true }], pagination: { mode: 'server', pageSize: 10 } },
      { items: rows.slice(0, 10), total: 45 },
    );
    fireEvent.click(container.querySelector('.ant-table-column-has-sorters')!);
    expect(setQuery).toHaveBeenLastCalledWith({ page: 1, pageSize: 10, sortField: 'name', sortOrder: 'asc' });
    fireEvent.click(container.querySelector('.ant-table-column-has-sorters')!);
    expect(setQuery).toHaveBeenLastCalledWith({ page: 1, pageSize: 10, sortField: 'name', sortOrder: 'desc' });
  });

  it('client sorting orders rows locally without setQuery', () => {
    const { setQuery, container } = setup({ columns: [{ dataIndex: 'cpu', title: 'CPU', sorter: true }], pagination: { mode: 'none' } }, rows.slice(0, 5));
    fireEvent.click(container.querySelector('.ant-table-column-has-sorters')!);
    const cells = [...container.querySelectorAll('tbody tr.ant-table-row td')].map((td) => Number(td.textContent));
    expect(cells).toEqual([...cells].sort((a, b) => a - b));
    expect(setQuery).not.toHaveBeenCalled();
  });

  it('row actions emit with the row, confirmed ones after confirmation', async () => {
    const { emit, container } = setup(
      { columns: [{ dataIndex: 'name' }], rowActions: [{ key: 'edit', label: 'Edit' }, { key: 'rm', label: 'Remove', danger: true, confirm: 'Sure?', event: 'remove' }] },
      rows.slice(0, 2),
    );
    const first = container.querySelector('tbody tr.ant-table-row')!;
    fireEvent.click(within(first as HTMLElement).getByText('Edit'));
    expect(emit).toHaveBeenCalledWith('rowAction', { action: 'edit', row: rows[0] });
    fireEvent.click(within(first as HTMLElement).getByText('Remove'));
    expect(emit).not.toHaveBeenCalledWith('remove', expect.anything());
    const ok = await screen.findByText('OK');
    fireEvent.click(ok);
    expect(emit).toHaveBeenCalledWith('remove', { action: 'rm', row: rows[0] });
  });

  it('renders 10k rows virtualised (only a window is in the DOM)', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `row-${i}` }));
    const t0 = performance.now();
    const { container } = setup({ columns: [{ dataIndex: 'name' }], pagination: { mode: 'none' }, scrollY: 400 }, big);
    const ms = performance.now() - t0;
    expect(container.querySelector('.ant-table-tbody-virtual')).not.toBeNull();
    expect(container.querySelectorAll('.ant-table-row').length).toBeLessThan(200);
    expect(ms).toBeLessThan(5000);
  });

  it('cursor mode pages with nextCursor', () => {
    const { setQuery, getByText } = setup({ columns: [{ dataIndex: 'name' }], pagination: { mode: 'cursor', pageSize: 2 } }, { items: rows.slice(0, 2), nextCursor: 'abc' });
    fireEvent.click(getByText('Next'));
    expect(setQuery).toHaveBeenCalledWith({ cursor: 'abc', limit: 2 });
  });

  it('server filters go to setQuery; client filters filter locally', async () => {
    const { setQuery, container } = setup(
      { columns: [{ dataIndex: 'status', title: 'Status', filters: [{ text: 'Failed', value: 'Failed' }, { text: 'Running', value: 'Running' }] }], pagination: { mode: 'server', pageSize: 10 } },
      { items: [{ id: 1, status: 'Running' }], total: 1 },
    );
    fireEvent.click(container.querySelector('.ant-table-filter-trigger')!);
    fireEvent.click(await screen.findByText('Failed'));
    fireEvent.click(screen.getByText('OK'));
    expect(setQuery).toHaveBeenLastCalledWith({ page: 1, pageSize: 10, filters: { status: ['Failed'] } });
    cleanup();
    const local = setup(
      { columns: [{ dataIndex: 'status', title: 'Status', filterFromData: true }], pagination: { mode: 'client' } },
      [{ id: 1, status: 'Running' }, { id: 2, status: 'Failed' }, { id: 3, status: 'Running' }],
    );
    fireEvent.click(local.container.querySelector('.ant-table-filter-trigger')!);
    fireEvent.click(await screen.findByText('Failed', { selector: '.ant-dropdown-menu-title-content span' }));
    fireEvent.click(screen.getByText('OK'));
    expect(local.container.querySelectorAll('tbody tr.ant-table-row')).toHaveLength(1);
    expect(local.setQuery).not.toHaveBeenCalled();
  });

  it('selection publishes the selected rows', () => {
    const { setOutput, emit, container } = setup({ columns: [{ dataIndex: 'name' }], selection: 'multiple' }, rows.slice(0, 3));
    fireEvent.click(container.querySelector('tr[data-row-key="r1"] .ant-checkbox-input')!);
    expect(setOutput).toHaveBeenCalledWith({ selectedRowKeys: ['r1'], selectedRows: [rows[1]], selectedRow: rows[1] });
    expect(emit).toHaveBeenCalledWith('selectionChange', { keys: ['r1'], rows: [rows[1]] });
  });

  it('renders $jsx column renders (functions returning element trees) through the allow-list', async () => {
    const render = (v: unknown) => ({ type: 'Tag', props: { color: 'red', onClick: 'alert(1)' }, children: `state:${String(v)}` });
    const { container } = setup({ columns: [{ dataIndex: 'name', render } as never], pagination: { mode: 'none' } }, rows.slice(0, 2));
    expect(await screen.findByText('state:app-00')).toBeTruthy();
    expect(container.querySelectorAll('.ant-tag')).toHaveLength(2);
  });
});
