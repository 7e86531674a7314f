// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { render, cleanup } from '@testing-library/react';
import { ConfigProvider, theme } from 'antd';
import { Ajv } from 'ajv';
import type { WidgetMeta } from '@sreworks/lowcode';
import { widgetMetas } from './metas.js';
import { widgetRegistry } from './registry.js';

afterEach(cleanup);

const ajv = new Ajv({ strict: false, allErrors: true });
const categories = ['layout', 'data', 'chart', 'form', 'display', 'action', 'advanced'];

function slotsFor(m: WidgetMeta): Record<string, unknown> {
  const keys = new Set(['default', 'extra']);
  const d = m.defaults as { items?: { key?: string; slot?: string }[] };
  for (const it of d.items ?? []) keys.add(it.key ?? it.slot ?? '');
  const slots: Record<string, unknown> = {};
  for (const k of keys) slots[k] = k === 'default' ? [<div key="a">slot:default:a</div>, <div key="b">slot:default:b</div>] : <div>slot:{k}</div>;
  return slots;
}

const base = () => ({ loading: false, emit: vi.fn(), setOutput: vi.fn(), setQuery: vi.fn(), api: { request: vi.fn().mockResolvedValue({}) } });

describe('widget catalogue', () => {
  it('has at least 40 widgets with unique PascalCase types, names and categories', () => {
    expect(widgetMetas.length).toBeGreaterThanOrEqual(40);
    const types = widgetMetas.map((m) => m.type);
    expect(new Set(types).size).toBe(types.length);
    for (const m of widgetMetas) {
      expect(m.type, m.type).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(m.nameZh, `${m.type}.nameZh`).toBeTruthy();
      expect(categories, `${m.type}.category`).toContain(m.category);
      expect(m.description.length, `${m.type}.description`).toBeGreaterThan(20);
      expect(m.propsSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(m.propsSchema.type).toBe('object');
    }
  });

  it('every meta is plain JSON data (the server serves it as is)', () => {
    for (const m of widgetMetas) expect(JSON.parse(JSON.stringify(m)), m.type).toEqual(m);
  });

  it.each(widgetMetas.map((m) => [m.type, m] as const))('%s defaults validate against its propsSchema', (_t, m) => {
    const validate = ajv.compile(m.propsSchema);
    const ok = validate(m.defaults);
    expect(ok ? [] : validate.errors, m.type).toEqual([]);
  });

  it('propsSchemas reject wrong props with the field path', () => {
    const validate = ajv.compile(widgetRegistry.Table.meta.propsSchema);
    expect(validate({ pagination: { mode: 'server', pageSize: 'ten' } })).toBe(false);
    expect(validate.errors?.[0].instancePath).toBe('/pagination/pageSize');
    const form = ajv.compile(widgetRegistry.Form.meta.propsSchema);
    expect(form({ fields: [{ name: 'x', type: 'colour' }] })).toBe(false);
    expect(form.errors?.[0].instancePath).toBe('/fields/0/type');
  });

  it('every meta has a lazily loaded component', async () => {
    for (const m of widgetMetas) {
      const C = await widgetRegistry[m.type].load();
      expect(typeof C, m.type).toBe('function');
    }
  });

  describe.each(widgetMetas.map((m) => [m.type, m] as const))('%s', (type, m) => {
    it('renders its defaults and mock data (light and dark)', async () => {
      const C = await widgetRegistry[type].load();
      for (const algorithm of [theme.defaultAlgorithm, theme.darkAlgorithm]) {
        const { container, unmount } = render(
          <ConfigProvider theme={{ algorithm }}>
            <C {...base()} props={m.defaults} data={m.mockData} slots={m.container ? slotsFor(m) : undefined} />
          </ConfigProvider>,
        );
        expect(container.innerHTML.length, type).toBeGreaterThan(0);
        if (m.container && type !== 'ModalTrigger') expect(container.textContent, type).toContain('slot:');
        unmount();
      }
    });

    it('survives empty props, no data, loading and an error', async () => {
      const C = await widgetRegistry[type].load();
      render(<C {...base()} props={{}} data={undefined} />);
      cleanup();
      render(<C {...base()} props={m.defaults} data={{ unexpected: true }} loading />);
      cleanup();
      render(<C {...base()} props={m.defaults} data={undefined} error="upstream said 502" />);
    });
  });
});

describe('theme', () => {
  // Colours come from antd tokens so light and dark both work.
  it('widget components contain no hard-coded colours', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (f === 'node_modules') continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx$/.test(f) && !/\.test\.tsx$/.test(f)) files.push(p);
        else if (/options\.ts$|codemirror\.ts$/.test(f)) files.push(p);
      }
    };
    walk(import.meta.dirname);
    expect(files.length).toBeGreaterThan(40);
    const offenders = files.filter((f) => /['"`]#[0-9a-f]{3,8}['"`]|rgba?\(\s*\d/i.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
