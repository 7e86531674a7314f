import { useMemo, useState, type Key, type ReactNode } from 'react';
import { Badge, Button, Popconfirm, Space, Table as AntTable, Tag, Typography } from 'antd';
import type { TableProps as AntTableProps } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath } from '../common/props.js';
import { useProps } from '../common/useProps.js';
import { compareValues, extractRows, extractTotal } from '../common/rows.js';
import { formatValue, statusOf, type ValueFormat } from '../common/format.js';
import { useT } from '../common/i18n.js';
import { ErrorBox } from '../common/ErrorBox.js';
import type { ElementNode } from '../JsxTemplate/elementTree.js';
import { isElementDesc, LazyElementTree } from '../common/LazyElementTree.js';
import { defaults, type TableColumn, type TableProps, type TableRowAction } from './meta.js';

type Row = Record<string, unknown>;
type Emit = WidgetRenderProps['emit'];

/** What setQuery receives on a server-paged table change. */
export interface TableQuery {
  page: number;
  pageSize: number;
  sortField?: string;
  sortOrder?: 'asc' | 'desc';
  filters?: Record<string, unknown[]>;
}

function renderCell(col: TableColumn, value: unknown, row: Row, index: number, emit: Emit): ReactNode {
  // The runtime may hand a compiled $jsx render as a function returning an element tree.
  const custom = (col as { render?: unknown }).render;
  if (typeof custom === 'function') {
    const out = (custom as (v: unknown, r: Row, i: number) => unknown)(value, row, index);
    return isElementDesc(out) || Array.isArray(out) ? <LazyElementTree node={out as ElementNode} emit={emit} /> : (out as ReactNode);
  }
  if (isElementDesc(value)) return <LazyElementTree node={value as ElementNode} emit={emit} />;
  switch (col.render) {
    case 'tag':
      return value === undefined || value === null || value === '' ? null : <Tag color={col.colorMap?.[String(value)]}>{String(value)}</Tag>;
    case 'tags': {
      const list = Array.isArray(value) ? value : value ? String(value).split(',') : [];
      return list.map((v, i) => (
        <Tag key={i} color={col.colorMap?.[String(v)]}>
          {String(v)}
        </Tag>
      ));
    }
    case 'badge':
      return value === undefined || value === null ? null : <Badge status={statusOf(value, col.colorMap)} text={String(value)} />;
    case 'link':
      return (
        <Typography.Link
          onClick={(e) => {
            e.stopPropagation();
            emit(col.linkEvent ?? 'linkClick', { field: col.dataIndex, value, row });
          }}
        >
          {formatValue(value)}
        </Typography.Link>
      );
    case 'json':
      return <Typography.Text code>{formatValue(value, 'json')}</Typography.Text>;
    default:
      return formatValue(value, (col.render ?? 'text') as ValueFormat);
  }
}

function actionVisible(a: TableRowAction, row: Row): boolean {
  if (!a.visibleWhen) return true;
  return a.visibleWhen.in.some((v) => String(v) === String(getPath(row, a.visibleWhen!.field)));
}

export function Table({ props, data, loading, error, emit, setOutput, setQuery }: WidgetRenderProps<TableProps>) {
  const p = useProps(defaults, props);
  const t = useT();
  const mode = p.pagination.mode;
  const pageSize0 = p.pagination.pageSize ?? 20;
  const rows = useMemo(() => extractRows(data, p.dataPath), [data, p.dataPath]);
  const total = extractTotal(data, p.totalPath);
  const [page, setPage] = useState({ current: 1, pageSize: pageSize0 });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<Key[]>([]);

  const columns = useMemo(() => {
    const cols: NonNullable<AntTableProps<Row>['columns']> = (Array.isArray(p.columns) ? p.columns : []).map((c) => {
      const filters = c.filters ?? (c.filterFromData ? [...new Set(rows.map((r) => getPath(r, c.dataIndex)))].filter((v) => v !== undefined && v !== null).slice(0, 100).map((v) => ({ text: String(v), value: v as string })) : undefined);
      return {
        key: c.dataIndex,
        dataIndex: c.dataIndex.split('.'),
        title: c.title ?? c.dataIndex,
        width: c.width,
        ellipsis: c.ellipsis,
        fixed: c.fixed,
        align: c.align,
        // Server mode only shows the arrows; the data source sorts.
        sorter: c.sorter ? (mode === 'server' || mode === 'cursor' ? true : (a: Row, b: Row) => compareValues(getPath(a, c.dataIndex), getPath(b, c.dataIndex))) : undefined,
        filters,
        onFilter: filters && mode !== 'server' ? (value: unknown, r: Row) => String(getPath(r, c.dataIndex)) === String(value) : undefined,
        render: (v: unknown, r: Row, i: number) => renderCell(c, v, r, i, emit),
      };
    });
    if (p.rowActions.length > 0) {
      cols.push({
        key: '__actions',
        title: t('Actions'),
        fixed: 'right',
        render: (_: unknown, row: Row) => (
          <Space size={0} onClick={(e) => e.stopPropagation()}>
            {p.rowActions.filter((a) => actionVisible(a, row)).map((a) => {
              const fire = () => emit(a.event ?? 'rowAction', { action: a.key, row });
              const btn = (
                <Button key={a.key} type="link" size="small" danger={a.danger} onClick={a.confirm ? undefined : fire}>
                  {a.label}
                </Button>
              );
              return a.confirm ? (
                <Popconfirm key={a.key} title={a.confirm} onConfirm={fire}>
                  {btn}
                </Popconfirm>
              ) : (
                btn
              );
            })}
          </Space>
        ),
      });
    }
    return cols;
  }, [p.columns, p.rowActions, rows, mode, emit, t]);

  if (error) return <ErrorBox message={error} />;

  const rowKey = (r: Row) => {
    const k = getPath(r, p.rowKey);
    return k === undefined || k === null ? JSON.stringify(r) : String(k);
  };
  const virtual = p.virtual === 'auto' ? rows.length > p.virtualThreshold : p.virtual;

  const onChange: AntTableProps<Row>['onChange'] = (pg, filters, sorter, extra) => {
    if (mode !== 'server' && mode !== 'cursor') {
      if (extra.action === 'paginate') setPage({ current: pg.current ?? 1, pageSize: pg.pageSize ?? pageSize0 });
      return;
    }
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const cleanFilters: Record<string, unknown[]> = {};
    for (const [k, v] of Object.entries(filters)) if (v && v.length) cleanFilters[k] = v as unknown[];
    // Sorting or filtering starts again from the first page.
    const current = extra.action === 'paginate' ? (pg.current ?? 1) : 1;
    const size = pg.pageSize ?? pageSize0;
    setPage({ current, pageSize: size });
    const q: TableQuery = { page: current, pageSize: size };
    if (s?.order && s.columnKey !== undefined) {
      q.sortField = String(s.columnKey);
      q.sortOrder = s.order === 'ascend' ? 'asc' : 'desc';
    }
    if (Object.keys(cleanFilters).length) q.filters = cleanFilters;
    if (mode === 'cursor') {
      setCursors([undefined]);
      setQuery?.({ ...q, cursor: undefined, limit: size });
    } else setQuery?.({ ...q });
  };

  const nextCursor = mode === 'cursor' ? (getPath(data, 'nextCursor') as string | null | undefined) : undefined;
  const goCursor = (idx: number, stack: (string | undefined)[]) => {
    setCursors(stack);
    setQuery?.({ cursor: stack[idx], limit: page.pageSize });
  };

  const pagination: AntTableProps<Row>['pagination'] =
    mode === 'none' || mode === 'cursor'
      ? false
      : {
          current: page.current,
          pageSize: page.pageSize,
          total: mode === 'server' ? (total ?? rows.length) : undefined,
          showSizeChanger: true,
          pageSizeOptions: p.pagination.pageSizeOptions ?? [10, 20, 50, 100],
          showTotal: (n) => `${t('Total')}: ${n}`,
        };

  return (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      <AntTable<Row>
        columns={columns}
        dataSource={rows}
        rowKey={rowKey}
        loading={loading}
        size={p.size}
        bordered={p.bordered}
        virtual={virtual}
        scroll={virtual ? { x: Math.max(800, columns.length * 160), y: p.scrollY } : { x: 'max-content' }}
        pagination={pagination}
        locale={{ emptyText: p.emptyText ?? t('No data') }}
        onChange={onChange}
        onRow={(r) => ({ onClick: () => emit('rowClick', r) })}
        rowSelection={
          p.selection === 'none'
            ? undefined
            : {
                type: p.selection === 'single' ? 'radio' : 'checkbox',
                selectedRowKeys: selected,
                onChange: (keys, selRows) => {
                  setSelected(keys);
                  setOutput({ selectedRowKeys: keys, selectedRows: selRows, selectedRow: selRows[0] });
                  emit('selectionChange', { keys, rows: selRows });
                },
              }
        }
      />
      {mode === 'cursor' ? (
        <Space style={{ marginTop: 8 }}>
          <Button size="small" disabled={cursors.length <= 1} onClick={() => goCursor(cursors.length - 2, cursors.slice(0, -1))}>
            {t('Previous')}
          </Button>
          <Button size="small" disabled={!nextCursor} onClick={() => goCursor(cursors.length, [...cursors, nextCursor ?? undefined])}>
            {t('Next')}
          </Button>
        </Space>
      ) : null}
    </div>
  );
}
