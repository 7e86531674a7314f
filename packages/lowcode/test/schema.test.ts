import { describe, it, expect } from 'vitest';
import { PAGE_SCHEMA_VERSION, pageJsonSchema, validatePage, renderTemplate, renderText, templateVars, resolveTemplates, getPath, type WidgetMeta } from '../src/browser.js';

const metas: WidgetMeta[] = [
  { type: 'Table', name: 'Table', category: 'data', description: 't', defaults: {}, events: ['rowClick', 'rowAction'], propsSchema: { type: 'object', properties: { columns: { type: 'array', items: { type: 'object', required: ['dataIndex'], properties: { dataIndex: { type: 'string' } } } }, pageSize: { type: 'integer', minimum: 1 } }, additionalProperties: false } },
  { type: 'Tabs', name: 'Tabs', category: 'layout', description: 't', defaults: {}, container: true, propsSchema: { type: 'object' } },
  { type: 'Text', name: 'Text', category: 'display', description: 't', defaults: {}, propsSchema: { type: 'object', properties: { text: { type: 'string' } } } },
];

function page(over: Record<string, unknown> = {}) {
  return {
    schemaVersion: PAGE_SCHEMA_VERSION,
    id: 'users',
    app: 'system',
    title: 'Users',
    dataSources: { users: { kind: 'api', url: '/api/users?limit=$(limit)', dependsOn: ['limit'] } },
    layout: { kind: 'fluid', rows: [{ cols: [{ span: 24, nodes: [{ id: 'tbl', type: 'Table', dataSource: 'users', props: { columns: [{ dataIndex: 'name' }] } }] }] }] },
    ...over,
  };
}

describe('page schema', () => {
  it('accepts a valid page and applies defaults', () => {
    const r = validatePage(page(), metas);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.page!.params).toEqual({});
    expect((r.page!.dataSources.users as any).method).toBe('GET');
  });

  it('names the path of a shape error', () => {
    const p = page();
    (p.layout as any).rows[0].cols[0].nodes[0].dataSource = { kind: 'api' };
    const r = validatePage(p);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.path)).toContain('layout.rows[0].cols[0].nodes[0].dataSource');
  });

  it('refuses unknown fields, bad schema versions and unknown action kinds', () => {
    expect(validatePage({ ...page(), extra: 1 }).errors[0]!.message).toMatch(/unknown field.*extra/);
    expect(validatePage({ ...page(), schemaVersion: 99 }).errors[0]!.path).toBe('schemaVersion');
    const p = page();
    (p.layout as any).rows[0].cols[0].nodes[0].actions = { rowClick: [{ kind: 'explode' }] };
    const r = validatePage(p, metas);
    expect(r.errors[0]!.path).toBe('layout.rows[0].cols[0].nodes[0].actions.rowClick[0].kind');
  });

  it('checks widget types, props, events, slots and references against the catalogue', () => {
    const p = page();
    const nodes = (p.layout as any).rows[0].cols[0].nodes;
    nodes[0].props = { columns: [{ title: 'x' }], pageSize: 0, colour: 'red' };
    nodes[0].actions = { doubleClick: [{ kind: 'refresh', targets: ['nope'] }] };
    nodes.push({ id: 'tbl', type: 'Chart' }, { id: 'txt', type: 'Text', slots: { default: [{ id: 'inner', type: 'Text' }] } }, { id: 'ref', type: 'Text', dataSource: 'missing' });
    const r = validatePage(p, metas);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    const base = 'layout.rows[0].cols[0].nodes';
    expect(byPath[`${base}[0].props.columns[0].dataIndex`]).toBe('is required');
    expect(byPath[`${base}[0].props.pageSize`]).toBe('must be >= 1');
    expect(byPath[`${base}[0].props.colour`]).toMatch(/unknown property/);
    expect(byPath[`${base}[0].actions.doubleClick`]).toMatch(/emits no event "doubleClick"/);
    expect(byPath[`${base}[0].actions.doubleClick[0].targets[0]`]).toMatch(/neither a node id nor a page data source/);
    expect(byPath[`${base}[1].id`]).toMatch(/already used/);
    expect(byPath[`${base}[1].type`]).toBe('unknown widget type "Chart"');
    expect(byPath[`${base}[2].slots`]).toMatch(/not a container/);
    expect(byPath[`${base}[3].dataSource`]).toMatch(/no page data source named "missing"/);
  });

  it('accepts dynamic values where the widget expects static types', () => {
    const p = page();
    (p.layout as any).rows[0].cols[0].nodes[0].props = { columns: { $expr: 'params.cols' }, pageSize: '$(size)' };
    expect(validatePage(p, metas).errors).toEqual([]);
  });

  it('requires grid positions in grid layouts', () => {
    const r = validatePage(page({ layout: { kind: 'grid', nodes: [{ id: 'a', type: 'Text' }, { id: 'b', type: 'Text', grid: { x: 8, y: 0, w: 6, h: 4 } }] } }), metas);
    expect(r.errors.map((e) => e.path)).toEqual(['layout.nodes[0].grid', 'layout.nodes[1].grid']);
  });

  it('exports a JSON Schema with the recursive node definition', () => {
    const js = pageJsonSchema() as any;
    expect(js.type).toBe('object');
    expect(js.properties.schemaVersion.const).toBe(PAGE_SCHEMA_VERSION);
    expect(JSON.stringify(js)).toContain('openForm');
    expect(js.required).toEqual(expect.arrayContaining(['schemaVersion', 'id', 'app', 'title', 'layout']));
  });
});

describe('templates', () => {
  const scope = { appId: 'a b', n: 3, row: { spec: { name: 'x' }, tags: ['t1'] }, obj: { k: 1 } };
  it('renders whole placeholders as raw values and mixed ones as text', () => {
    expect(renderTemplate('$(n)', scope)).toBe(3);
    expect(renderTemplate('$(obj)', scope)).toEqual({ k: 1 });
    expect(renderTemplate('id=$(row.spec.name)&t=$(row.tags[0])&m=$(missing)', scope)).toBe('id=x&t=t1&m=');
    expect(renderText('/api/x?app=$(appId)', scope, { uri: true })).toBe('/api/x?app=a%20b');
  });
  it('lists root variables and never walks the prototype', () => {
    expect(templateVars('$(a.b) and $( c[0] ) and $(a)')).toEqual(['a', 'c']);
    expect(getPath({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(getPath({ a: {} }, 'a.__proto__')).toBeUndefined();
  });
  it('resolves nested static templates and leaves code alone', () => {
    expect(resolveTemplates({ a: '$(n)', b: [{ $tpl: 'x$(n)' }], c: { $expr: '$(n)' } }, scope)).toEqual({ a: 3, b: ['x3'], c: { $expr: '$(n)' } });
  });
});
