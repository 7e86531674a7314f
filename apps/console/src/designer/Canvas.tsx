// The design canvas. Fluid pages: rows of columns, each column a dnd-kit drop zone whose nodes
// are sortable (palette → column, node → other place). Grid pages: react-grid-layout moves and
// resizes; palette items dropped on the grid go to its bottom (dnd-kit and RGL's HTML5 drag are
// kept apart on purpose: they do not mix).
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, Dropdown, Space, Tag, Typography, theme } from 'antd';
import { CopyOutlined, DeleteOutlined, HolderOutlined } from '@ant-design/icons';
import { ReactGridLayout } from 'react-grid-layout/legacy';
import 'react-grid-layout/css/styles.css';
import type { NodeDef, PageDef } from '@sreworks/lowcode/browser';
import type { WidgetRegistry } from '../runtime/widgets.js';
import { WidgetPreview } from './WidgetPreview.js';

export interface CanvasProps {
  page: PageDef;
  registry: WidgetRegistry;
  selected?: string;
  showWidgets: boolean;
  onSelect(id: string | undefined): void;
  onDuplicate(id: string): void;
  onDelete(id: string): void;
  onRowColumns(row: number, count: number): void;
  onDeleteRow(row: number): void;
  onGridChange(items: { i: string; x: number; y: number; w: number; h: number }[]): void;
}

/** The heavy part (the live widget), memoised on the node's identity: edits share unchanged nodes. */
const NodeBody = memo(function NodeBody({ node, registry, showWidgets }: { node: NodeDef; registry: WidgetRegistry; showWidgets: boolean }) {
  const entry = registry[node.type];
  return <div style={{ padding: 6, pointerEvents: 'none', overflow: 'hidden', flex: 1, maxHeight: 260 }}>{showWidgets ? <WidgetPreview node={node} entry={entry} /> : <Typography.Text type="secondary">{entry?.meta.name ?? node.type}</Typography.Text>}</div>;
});

type DragBits = { attributes?: object; listeners?: object; gridHandle?: boolean };

/** Memoised with stable props (dnd-kit's attributes/listeners keep their identity between renders). */
const NodeCard = memo(function NodeCard({ node, registry, selected, showWidgets, onSelect, onDuplicate, onDelete, attributes, listeners, gridHandle }: { node: NodeDef; registry: WidgetRegistry; selected: boolean; showWidgets: boolean; onSelect(id: string): void; onDuplicate(id: string): void; onDelete(id: string): void } & DragBits) {
  const { token } = theme.useToken();
  return (
    <div
      data-testid="sw-design-node"
      data-node={node.id}
      data-type={node.type}
      onClick={(e) => {
        e.stopPropagation();
        onSelect(node.id);
      }}
      style={{ border: `1px ${selected ? 'solid' : 'dashed'} ${selected ? token.colorPrimary : token.colorBorder}`, borderRadius: 6, background: token.colorBgContainer, height: '100%', display: 'flex', flexDirection: 'column', boxShadow: selected ? `0 0 0 2px ${token.colorPrimaryBg}` : undefined }}
    >
      <div style={{ padding: '2px 6px', borderBottom: `1px solid ${token.colorBorderSecondary}`, display: 'flex', alignItems: 'center', gap: 4 }}>
        <HolderOutlined {...attributes} {...listeners} className={gridHandle ? 'sw-grid-handle' : undefined} data-testid="sw-node-handle" style={{ cursor: 'grab' }} />
        <Typography.Text strong style={{ fontSize: 12 }}>
          {node.title || node.id}
        </Typography.Text>
        <Tag style={{ fontSize: 10 }}>{node.type}</Tag>
        {node.dataSource && <Tag color="blue" style={{ fontSize: 10 }}>data</Tag>}
        <span style={{ flex: 1 }} />
        <Button size="small" type="text" title="Duplicate" icon={<CopyOutlined />} data-testid="sw-node-duplicate" onClick={(e) => (e.stopPropagation(), onDuplicate(node.id))} />
        <Button size="small" type="text" title="Delete" danger icon={<DeleteOutlined />} data-testid="sw-node-delete" onClick={(e) => (e.stopPropagation(), onDelete(node.id))} />
      </div>
      <NodeBody node={node} registry={registry} showWidgets={showWidgets} />
    </div>
  );
});

function SortableNode(props: Omit<Parameters<typeof NodeCard>[0], keyof DragBits>) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: `node:${props.node.id}` });
  return (
    <div ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.4 : 1, marginBottom: 8 }}>
      <NodeCard {...props} attributes={attributes} listeners={listeners} />
    </div>
  );
}

function Column({ row, col, nodes, children, span }: { row: number; col: number; nodes: NodeDef[]; children: ReactNode; span: number }) {
  const { setNodeRef, isOver } = useDroppable({ id: `col:${row}:${col}` });
  const { token } = theme.useToken();
  return (
    <div ref={setNodeRef} data-testid="sw-drop-col" data-row={row} data-col={col} style={{ flex: `${span} 1 0`, minWidth: 0, minHeight: 64, padding: 6, borderRadius: 6, background: isOver ? token.colorPrimaryBg : token.colorFillQuaternary, outline: isOver ? `2px dashed ${token.colorPrimary}` : undefined }}>
      <SortableContext items={nodes.map((n) => `node:${n.id}`)} strategy={verticalListSortingStrategy}>
        {children}
      </SortableContext>
      {nodes.length === 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>Drop widgets here</Typography.Text>}
    </div>
  );
}

function NewRowZone({ empty }: { empty: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id: 'newrow' });
  const { token } = theme.useToken();
  return (
    <div ref={setNodeRef} data-testid="sw-drop-newrow" style={{ border: `2px dashed ${isOver ? token.colorPrimary : token.colorBorder}`, borderRadius: 8, padding: empty ? 48 : 16, textAlign: 'center', color: token.colorTextSecondary, background: isOver ? token.colorPrimaryBg : undefined }}>
      {empty ? 'Drag widgets from the palette here to start the page' : 'Drop here to add a row'}
    </div>
  );
}

function GridCanvas(p: CanvasProps) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const { setNodeRef, isOver } = useDroppable({ id: 'grid' });
  const { token } = theme.useToken();
  useEffect(() => {
    if (!host.current) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(320, Math.floor(e!.contentRect.width))));
    ro.observe(host.current);
    return () => ro.disconnect();
  }, []);
  if (p.page.layout.kind !== 'grid') return null;
  const l = p.page.layout;
  const layout = l.nodes.map((n) => ({ i: n.id, x: n.grid?.x ?? 0, y: n.grid?.y ?? 0, w: n.grid?.w ?? 6, h: n.grid?.h ?? 8 }));
  const stop = (items: readonly { i: string; x: number; y: number; w: number; h: number }[]) => p.onGridChange(items.map(({ i, x, y, w, h }) => ({ i, x, y, w, h })));
  return (
    <div
      ref={(el) => {
        host.current = el;
        setNodeRef(el);
      }}
      data-testid="sw-grid-canvas"
      style={{ minHeight: 300, outline: isOver ? `2px dashed ${token.colorPrimary}` : undefined, borderRadius: 8, background: token.colorFillQuaternary }}
    >
      <ReactGridLayout width={width} cols={12} rowHeight={l.rowHeight} margin={l.margin} layout={layout} draggableHandle=".sw-grid-handle" onDragStop={(items) => stop(items)} onResizeStop={(items) => stop(items)} compactType="vertical">
        {l.nodes.map((n) => (
          <div key={n.id}>
            <NodeCard node={n} registry={p.registry} selected={p.selected === n.id} showWidgets={p.showWidgets} onSelect={p.onSelect} onDuplicate={p.onDuplicate} onDelete={p.onDelete} gridHandle />
          </div>
        ))}
      </ReactGridLayout>
      {l.nodes.length === 0 && <div style={{ padding: 48, textAlign: 'center', color: token.colorTextSecondary }}>Drag widgets from the palette onto the grid</div>}
    </div>
  );
}

/** Memoised: a save-state or inspector change in the designer does not re-render the canvas. */
export const Canvas = memo(function Canvas(p: CanvasProps) {
  const { token } = theme.useToken();
  if (p.page.layout.kind === 'grid') return <GridCanvas {...p} />;
  const rows = p.page.layout.rows;
  return (
    <div data-testid="sw-canvas" onClick={() => p.onSelect(undefined)}>
      {rows.map((row, r) => (
        // off-screen rows skip layout and paint (long pages stay smooth while dragging)
        <div key={r} data-testid="sw-design-row" style={{ marginBottom: 8, padding: 4, border: `1px solid ${token.colorBorderSecondary}`, borderRadius: 8, contentVisibility: 'auto', containIntrinsicSize: 'auto 160px' }}>
          <Space size={4} style={{ marginBottom: 4 }}>
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
              Row {r + 1}
            </Typography.Text>
            <Dropdown menu={{ items: [1, 2, 3, 4].map((n) => ({ key: String(n), label: `${n} column${n > 1 ? 's' : ''}` })), onClick: ({ key }) => p.onRowColumns(r, Number(key)) }}>
              <Button size="small" type="text" data-testid="sw-row-columns">
                {row.cols.length} col
              </Button>
            </Dropdown>
            <Button size="small" type="text" danger onClick={() => p.onDeleteRow(r)} data-testid="sw-row-delete">
              delete row
            </Button>
          </Space>
          <div style={{ display: 'flex', gap: 8 }}>
            {row.cols.map((col, c) => (
              <Column key={c} row={r} col={c} nodes={col.nodes} span={col.span}>
                {col.nodes.map((n) => (
                  <SortableNode key={n.id} node={n} registry={p.registry} selected={p.selected === n.id} showWidgets={p.showWidgets} onSelect={p.onSelect} onDuplicate={p.onDuplicate} onDelete={p.onDelete} />
                ))}
              </Column>
            ))}
          </div>
        </div>
      ))}
      <NewRowZone empty={rows.length === 0} />
    </div>
  );
});
