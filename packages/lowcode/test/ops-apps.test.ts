import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadOpsApps } from '../src/index.js';

const ROOT = join(import.meta.dirname, '../../../ops-apps');

describe('built-in ops apps', () => {
  it('load, validate, and every menu entry points at a page', () => {
    const apps = loadOpsApps(ROOT);
    expect(apps.map((a) => a.manifest.id).sort()).toEqual(['aiops', 'clusters', 'dataops', 'delivery', 'desktop', 'system']);
    const ids = apps.flatMap((a) => a.pages.map((p) => `${a.manifest.id}/${p.id}`)).sort();
    expect(ids).toEqual([
      'aiops/anomalies', 'aiops/forecast', 'aiops/log-templates', 'aiops/periods', 'aiops/rca', 'aiops/runs',
      'clusters/clusters', 'clusters/environments',
      'dataops/catalog', 'dataops/events', 'dataops/logs', 'dataops/metrics',
      'delivery/app', 'delivery/apps', 'delivery/build', 'delivery/build-secrets', 'delivery/definition', 'delivery/definitions', 'delivery/deployment', 'delivery/deployments',
      'desktop/home', 'system/audit', 'system/team-members', 'system/teams', 'system/tokens', 'system/users',
    ]);
    for (const a of apps) for (const p of a.pages) expect(p.titleZh, `${a.manifest.id}/${p.id} has a Chinese title`).toBeTruthy();
  });

  it('refuses a broken page file naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-ops-'));
    try {
      mkdirSync(join(dir, 'x', 'pages'), { recursive: true });
      writeFileSync(join(dir, 'x', 'app.yaml'), 'id: x\nname: X\nmenu:\n  - key: a\n    label: A\n    page: a\n');
      writeFileSync(join(dir, 'x', 'pages', 'a.json'), JSON.stringify({ schemaVersion: 1, id: 'a', app: 'x', title: 'A', layout: { kind: 'grid', nodes: [{ id: 'n', type: 'T' }] } }));
      expect(() => loadOpsApps(dir)).toThrow(/a\.json: layout\.nodes\[0\]\.grid/);
      writeFileSync(join(dir, 'x', 'pages', 'a.json'), JSON.stringify({ schemaVersion: 1, id: 'b', app: 'x', title: 'A', layout: { kind: 'fluid', rows: [] } }));
      expect(() => loadOpsApps(dir)).toThrow(/menu\[0\]\.page: no page "a"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
