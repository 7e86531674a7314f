import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const columnSchema = z.object({
  dataIndex: z.string().min(1).describe('field path in the row, e.g. "status" or "metadata.name"'),
  title: z.string().optional(),
  width: z.number().positive().optional(),
  sorter: z.boolean().optional(),
  /** fixed filter choices; with filterFromData the distinct values of the column are offered. */
  filters: z.array(z.object({ text: z.string(), value: scalar })).optional(),
  filterFromData: z.boolean().optional(),
  render: z
    .enum(['text', 'tag', 'tags', 'badge', 'datetime', 'relativeTime', 'link', 'json', 'bytes', 'duration', 'number', 'percent', 'boolean'])
    .optional(),
  /** value → colour name (tag) or badge status (badge). */
  colorMap: z.record(z.string(), z.string()).optional(),
  ellipsis: z.boolean().optional(),
  fixed: z.enum(['left', 'right']).optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
  /** for render=link: the event emitted with the row (default "linkClick"). */
  linkEvent: z.string().optional(),
});

export const rowActionSchema = z.object({
  key: z.string().min(1),
  label: z.string(),
  danger: z.boolean().optional(),
  /** confirmation text; when set the action asks before emitting. */
  confirm: z.string().optional(),
  /** event name to emit (default "rowAction"); payload is {action, row}. */
  event: z.string().optional(),
  /** hide the action unless row[field] equals one of values. */
  visibleWhen: z.object({ field: z.string(), in: z.array(scalar) }).optional(),
});

const schema = z.object({
  title: z.string().optional(),
  rowKey: z.string().optional(),
  columns: z.array(columnSchema).optional(),
  /** where rows are in the data: default tries the data itself, then items, rows, list, data. */
  dataPath: z.string().optional(),
  totalPath: z.string().optional(),
  pagination: z
    .object({
      /** client: page locally; server: setQuery({page, pageSize, ...}); cursor: setQuery({cursor, limit}); none: all rows. */
      mode: z.enum(['client', 'server', 'cursor', 'none']),
      pageSize: z.number().int().min(1).max(10_000).optional(),
      pageSizeOptions: z.array(z.number().int().min(1)).optional(),
    })
    .optional(),
  rowActions: z.array(rowActionSchema).optional(),
  selection: z.enum(['none', 'single', 'multiple']).optional(),
  size: z.enum(['small', 'middle', 'large']).optional(),
  bordered: z.boolean().optional(),
  /** virtual scrolling: "auto" turns it on above virtualThreshold rows. */
  virtual: z.union([z.boolean(), z.literal('auto')]).optional(),
  virtualThreshold: z.number().int().min(1).optional(),
  scrollY: z.number().int().min(100).optional(),
  emptyText: z.string().optional(),
});

export type TableColumn = z.infer<typeof columnSchema>;
export type TableRowAction = z.infer<typeof rowActionSchema>;
export type TableProps = z.infer<typeof schema>;

export const defaults = {
  rowKey: 'id',
  columns: [] as TableColumn[],
  pagination: { mode: 'client', pageSize: 20 } as NonNullable<TableProps['pagination']>,
  rowActions: [] as TableRowAction[],
  selection: 'none',
  size: 'middle',
  bordered: false,
  virtual: 'auto',
  virtualThreshold: 500,
  scrollY: 480,
} satisfies TableProps;

export const meta: WidgetMeta = {
  type: 'Table',
  name: 'Table',
  nameZh: '表格',
  category: 'data',
  description:
    'Rows with sorting, filters, row actions and selection. Paging is local, server-side (setQuery with page, pageSize, sortField, sortOrder, filters) or by cursor ({items, nextCursor}). Virtual scrolling for large row counts.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    columns: [
      { dataIndex: 'name', title: 'Name', sorter: true },
      { dataIndex: 'status', title: 'Status', render: 'badge', filterFromData: true },
      { dataIndex: 'replicas', title: 'Replicas', sorter: true, align: 'right' },
      { dataIndex: 'updatedAt', title: 'Updated', render: 'datetime', sorter: true },
    ],
    rowActions: [
      { key: 'edit', label: 'Edit' },
      { key: 'delete', label: 'Delete', danger: true, confirm: 'Delete this component?' },
    ],
  },
  mockData: {
    items: [
      { id: 'c1', name: 'health-api', status: 'Running', replicas: 3, updatedAt: '2024-05-01T10:00:00Z' },
      { id: 'c2', name: 'incident-worker', status: 'Pending', replicas: 1, updatedAt: '2024-05-02T08:30:00Z' },
      { id: 'c3', name: 'aiops-forecast', status: 'Failed', replicas: 0, updatedAt: '2024-05-03T16:45:00Z' },
    ],
    total: 3,
  },
  events: ['rowClick', 'rowAction', 'selectionChange', 'linkClick'],
  version: 1,
};
