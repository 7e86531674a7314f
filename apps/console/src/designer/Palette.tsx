// The palette: every widget of the library (and stored custom/remote components) by category,
// with search over names, types and descriptions. Items are dnd-kit draggables (`palette:<type>`).
import { memo, useMemo, useState } from 'react';
import { useDraggable } from '@dnd-kit/core';
import { Collapse, Input, Typography, theme } from 'antd';
import type { WidgetMeta } from '@sreworks/lowcode/browser';

const CATEGORIES: { key: WidgetMeta['category']; label: string }[] = [
  { key: 'layout', label: 'Layout' },
  { key: 'data', label: 'Data' },
  { key: 'chart', label: 'Charts' },
  { key: 'form', label: 'Forms' },
  { key: 'display', label: 'Display' },
  { key: 'action', label: 'Actions' },
  { key: 'advanced', label: 'Advanced and custom' },
];

// A native title instead of an antd Tooltip: fifty tooltip wrappers made every search re-render slow.
const Item = memo(function Item({ meta, onAdd }: { meta: WidgetMeta; onAdd(type: string): void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `palette:${meta.type}` });
  const { token } = theme.useToken();
  return (
    <div
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      data-testid="sw-palette-item"
      data-type={meta.type}
      title={meta.description}
      onDoubleClick={() => onAdd(meta.type)}
      style={{
        padding: '4px 8px',
        margin: '2px 0',
        border: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: 4,
        cursor: 'grab',
        background: token.colorBgContainer,
        opacity: isDragging ? 0.5 : 1,
        fontSize: 12,
        userSelect: 'none',
        touchAction: 'none',
      }}
    >
      {meta.name}
      <Typography.Text type="secondary" style={{ fontSize: 10, marginLeft: 6 }}>
        {meta.type}
      </Typography.Text>
    </div>
  );
});

export const Palette = memo(function Palette({ metas, onAdd }: { metas: WidgetMeta[]; onAdd(type: string): void }) {
  const [q, setQ] = useState('');
  const groups = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const hit = (m: WidgetMeta) =>
      !needle || [m.type, m.name, m.nameZh, m.description].some((s) => s?.toLowerCase().includes(needle));
    return CATEGORIES.map((c) => ({
      ...c,
      items: metas
        .filter((m) => (m.category ?? 'advanced') === c.key && hit(m))
        .sort((a, b) => a.name.localeCompare(b.name)),
    })).filter((g) => g.items.length);
  }, [metas, q]);
  return (
    <div data-testid="sw-palette">
      <Input.Search
        placeholder="Search widgets"
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        data-testid="sw-palette-search"
        style={{ marginBottom: 8 }}
      />
      {groups.length === 0 && <Typography.Text type="secondary">No widget matches “{q}”.</Typography.Text>}
      <Collapse
        size="small"
        ghost
        key={q ? `search:${groups.map((g) => g.key).join()}` : 'all'}
        defaultActiveKey={q ? groups.map((g) => g.key) : ['data', 'chart']}
        items={groups.map((g) => ({
          key: g.key,
          label: `${g.label} (${g.items.length})`,
          children: g.items.map((m) => <Item key={m.type} meta={m} onAdd={onAdd} />),
        }))}
      />
    </div>
  );
});
