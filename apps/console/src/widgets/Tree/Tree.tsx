import { useMemo, useState, type ReactNode } from 'react';
import { Badge, Input, Tag, Tree as AntTree, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { useProps } from '../common/useProps.js';
import { extractRows } from '../common/rows.js';
import { statusOf } from '../common/format.js';
import { useT } from '../common/i18n.js';
import { defaults, type TreeProps } from './meta.js';

export interface TreeNode {
  key: string;
  title: ReactNode;
  text: string;
  raw: Record<string, unknown>;
  children?: TreeNode[];
}

type P = ReturnType<typeof withDefaults<typeof defaults, TreeProps>>;

function keysOf(nodes: TreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.key);
    if (n.children) keysOf(n.children, out);
  }
  return out;
}

/** Nested or flat (parentField) records → tree nodes; unknown parents become roots. */
export function buildTree(records: Record<string, unknown>[], p: P): TreeNode[] {
  const node = (r: Record<string, unknown>, i: number, prefix: string): TreeNode => {
    const key = String(getPath(r, p.keyField) ?? r.id ?? r.name ?? `${prefix}${i}`);
    const text = String(getPath(r, p.titleField) ?? r.name ?? key);
    const kids = getPath(r, p.childrenField);
    return { key, text, title: text, raw: r, children: Array.isArray(kids) && kids.length ? kids.filter(isRecord).map((c, j) => node(c, j, `${key}/`)) : undefined };
  };
  if (!p.parentField) return records.map((r, i) => node(r, i, ''));
  const byKey = new Map<string, TreeNode>();
  const nodes = records.map((r, i) => node(r, i, ''));
  for (const n of nodes) byKey.set(n.key, n);
  const roots: TreeNode[] = [];
  nodes.forEach((n, i) => {
    const parent = getPath(records[i], p.parentField);
    const pn = parent === undefined || parent === null ? undefined : byKey.get(String(parent));
    if (pn && pn !== n) (pn.children ??= []).push(n);
    else roots.push(n);
  });
  return roots;
}

function filterTree(nodes: TreeNode[], q: string): TreeNode[] {
  const out: TreeNode[] = [];
  for (const n of nodes) {
    const kids = n.children ? filterTree(n.children, q) : [];
    if (n.text.toLowerCase().includes(q) || kids.length) out.push({ ...n, children: kids.length ? kids : n.children && n.text.toLowerCase().includes(q) ? n.children : undefined });
  }
  return out;
}

export function Tree({ props, data, emit, setOutput }: WidgetRenderProps<TreeProps>) {
  const p = useProps(defaults, props);
  const t = useT();
  const [q, setQ] = useState('');
  const tree = useMemo(() => {
    const raw = p.dataPath ? getPath(data, p.dataPath) : data;
    const recs = isRecord(raw) && !Array.isArray(raw.items) ? [raw] : extractRows(raw);
    return buildTree(recs, p);
  }, [data, p]);
  const decorate = (nodes: TreeNode[]): TreeNode[] =>
    nodes.map((n) => {
      const kind = getPath(n.raw, p.kindField);
      const status = getPath(n.raw, p.statusField);
      return {
        ...n,
        title: (
          <span>
            {kind ? <Tag style={{ marginInlineEnd: 6 }}>{String(kind)}</Tag> : null}
            {n.text}
            {status !== undefined && status !== null ? <Badge style={{ marginInlineStart: 8 }} status={statusOf(status)} text={<Typography.Text type="secondary">{String(status)}</Typography.Text>} /> : null}
          </span>
        ),
        children: n.children ? decorate(n.children) : undefined,
      };
    });
  const shown = decorate(q ? filterTree(tree, q.toLowerCase()) : tree);
  // defaultExpandAll only applies when antd's Tree mounts: a live tree (a deployment gaining
  // components, then objects) remounts when its set of keys changes so new branches open too
  const shape = p.defaultExpandAll ? keysOf(tree).join('\u0000') : '';
  return (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      {p.showSearch ? <Input.Search allowClear placeholder={t('Search')} onChange={(e) => setQ(e.target.value)} style={{ marginBottom: 8 }} /> : null}
      <AntTree
        key={q ? `q-${q}` : `all-${shape}`}
        treeData={shown}
        showLine={p.showLine}
        defaultExpandAll={p.defaultExpandAll || !!q}
        height={p.height}
        onSelect={(_keys, info) => {
          const n = info.node as unknown as TreeNode;
          setOutput(n.raw);
          emit('select', n.raw);
        }}
      />
    </div>
  );
}
