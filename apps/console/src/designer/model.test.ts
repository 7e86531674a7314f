import { describe, it, expect } from 'vitest';
import { PAGE_SCHEMA_VERSION, validatePage, type PageDef } from '@sreworks/lowcode/browser';
import { History, PAGE_TEMPLATES, allNodes, findNode, updateNode, convertLayout, duplicateNode, insertNode, locate, moveNode, newNode, parsePageFile, reId, removeNode, setGrid, setRowColumns } from './model.js';

const blank = (): PageDef => ({ schemaVersion: PAGE_SCHEMA_VERSION, id: 'p', app: 'a', title: 'P', params: {}, dataSources: {}, layout: { kind: 'fluid', rows: [] } });
const meta = (type: string) => ({ type, name: type, defaults: { size: 1 } });

describe('designer page edits', () => {
  it('inserts nodes with unique readable ids into new rows and columns', () => {
    let p = blank();
    p = insertNode(p, newNode(p, meta('Table')), { kind: 'newRow' });
    p = insertNode(p, newNode(p, meta('Table')), { kind: 'newRow' });
    p = insertNode(p, newNode(p, meta('LineChart')), { kind: 'fluid', row: 0, col: 0, index: 0 });
    expect(allNodes(p).map((n) => n.id)).toEqual(['lineChart1', 'table1', 'table2']);
    expect(locate(p, 'table2')).toEqual({ row: 1, col: 0, index: 0 });
    expect(validatePage(p).ok).toBe(true);
    // defaults are copied, not shared
    expect(allNodes(p)[0]!.props).not.toBe(meta('LineChart').defaults);
  });

  it('moves a node to another row; an emptied single-column row disappears and the target index follows', () => {
    let p = blank();
    for (const t of ['A', 'B', 'C']) p = insertNode(p, newNode(p, meta(t)), { kind: 'newRow' });
    p = moveNode(p, 'a1', { kind: 'fluid', row: 2, col: 0 });
    expect(p.layout.kind === 'fluid' && p.layout.rows.map((r) => r.cols[0]!.nodes.map((n) => n.id))).toEqual([['b1'], ['c1', 'a1']]);
  });

  it('duplicates and pastes with fresh ids, deletes, splits rows into columns', () => {
    let p = blank();
    p = insertNode(p, newNode(p, meta('Table')), { kind: 'newRow' });
    p = duplicateNode(p, 'table1');
    expect(allNodes(p).map((n) => n.id)).toEqual(['table1', 'table2']);
    const pasted = reId(p, { id: 'table1', type: 'Card', slots: { default: [{ id: 'table2', type: 'Table' }] } });
    expect([pasted.id, pasted.slots!.default![0]!.id]).toEqual(['table3', 'table4']);
    p = setRowColumns(p, 0, 2);
    expect(p.layout.kind === 'fluid' && p.layout.rows[0]!.cols.map((c) => [c.span, c.nodes.length])).toEqual([
      [12, 2],
      [12, 0],
    ]);
    p = removeNode(p, 'table1').page;
    expect(allNodes(p).map((n) => n.id)).toEqual(['table2']);
  });

  it('converts fluid ↔ grid keeping every node, and grid moves change only what moved', () => {
    let p = blank();
    for (const t of ['A', 'B']) p = insertNode(p, newNode(p, meta(t)), { kind: 'newRow' });
    const g = convertLayout(p, 'grid');
    expect(g.layout.kind === 'grid' && g.layout.nodes.map((n) => n.grid)).toEqual([
      { x: 0, y: 0, w: 12, h: 8 },
      { x: 0, y: 8, w: 12, h: 8 },
    ]);
    expect(validatePage(g).ok).toBe(true);
    expect(setGrid(g, [{ i: 'a1', x: 0, y: 0, w: 12, h: 8 }])).toBe(g);
    const moved = setGrid(g, [{ i: 'b1', x: 6, y: 0, w: 6, h: 4 }]);
    expect(moved.layout.kind === 'grid' && moved.layout.nodes[1]!.grid).toEqual({ x: 6, y: 0, w: 6, h: 4 });
    expect(allNodes(convertLayout(moved, 'fluid')).map((n) => n.id)).toEqual(['a1', 'b1']);
  });

  it('shares every node it does not change, so the canvas re-renders only what changed', () => {
    let p = blank();
    for (const t of ['A', 'B', 'C']) p = insertNode(p, newNode(p, meta(t)), { kind: 'newRow' });
    const before = allNodes(p);
    const q = insertNode(p, newNode(p, meta('D')), { kind: 'fluid', row: 2, col: 0 });
    expect(allNodes(q).slice(0, 3)).toEqual(before);
    allNodes(q).slice(0, 3).forEach((n, i) => expect(n).toBe(before[i]));
    const r = updateNode(q, 'b1', (n) => ({ ...n, title: 'changed' }));
    expect(findNode(r, 'a1')).toBe(before[0]);
    expect(findNode(r, 'b1')).not.toBe(before[1]);
    expect(before[1]!.title).toBe('B');
  });

  it('undoes and redoes, and a new edit drops the redo branch', () => {
    const a = blank();
    const h = new History(a);
    const b = insertNode(a, newNode(a, meta('A')), { kind: 'newRow' });
    const c = insertNode(b, newNode(b, meta('B')), { kind: 'newRow' });
    h.push(b);
    h.push(c);
    expect(h.undo()).toBe(b);
    expect(h.undo()).toBe(a);
    expect(h.canUndo).toBe(false);
    expect(h.redo()).toBe(b);
    h.push(c);
    expect(h.canRedo).toBe(false);
  });

  it('gives clear messages for bad imports', () => {
    expect(parsePageFile('{"a":')).toMatchObject({ ok: false, message: expect.stringMatching(/^not valid JSON/) });
    expect(parsePageFile('[1]')).toMatchObject({ ok: false, message: expect.stringMatching(/JSON object/) });
    expect(parsePageFile('{"title":"x"}')).toMatchObject({ ok: false, message: expect.stringMatching(/schemaVersion is missing/) });
    expect(parsePageFile(JSON.stringify({ ...blank(), schemaVersion: PAGE_SCHEMA_VERSION + 1 }))).toMatchObject({ ok: false, message: expect.stringMatching(/newer console/) });
    expect(parsePageFile(JSON.stringify({ page: blank() }))).toMatchObject({ ok: true });
  });

  it('builds valid pages from every template', () => {
    for (const t of PAGE_TEMPLATES) {
      const r = validatePage(t.build('a', 'p', 'Title'));
      expect(r.ok ? [] : r.errors, t.key).toEqual([]);
    }
  });
});
