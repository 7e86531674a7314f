// Built-in ops apps: folders `ops-apps/<id>/` holding `app.yaml` (the manifest and menu) and
// `pages/*.json` (page definitions). Loaded at start; a broken file stops the start with the
// file and field named, because shipping a broken built-in page is a release bug.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppManifest, type PageDef } from './schema.js';
import { formatPath, validatePage } from './validate.js';
import type { WidgetMeta } from './widget.js';

export interface OpsApp {
  manifest: AppManifest;
  pages: PageDef[];
  dir: string;
}

export function loadOpsApps(root: string, widgetMetas?: readonly WidgetMeta[]): OpsApp[] {
  if (!existsSync(root)) return [];
  const out: OpsApp[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'app.yaml'))) continue;
    const file = join(dir, 'app.yaml');
    const parsed = AppManifest.safeParse(parseYaml(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new Error(`${file}: ${formatPath(i.path)}: ${i.message}`);
    }
    const manifest = parsed.data;
    if (manifest.id !== name) throw new Error(`${file}: id "${manifest.id}" must equal the folder name "${name}"`);
    const pages: PageDef[] = [];
    const pdir = join(dir, 'pages');
    if (existsSync(pdir)) {
      for (const f of readdirSync(pdir).filter((x) => x.endsWith('.json')).sort()) {
        const pfile = join(pdir, f);
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(pfile, 'utf8'));
        } catch (e) {
          throw new Error(`${pfile}: not JSON: ${(e as Error).message}`);
        }
        const r = validatePage(json, widgetMetas);
        if (!r.ok) throw new Error(`${pfile}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
        if (r.page.app !== manifest.id) throw new Error(`${pfile}: app "${r.page.app}" must be "${manifest.id}"`);
        pages.push(r.page);
      }
    }
    const ids = new Set(pages.map((p) => p.id));
    const walk = (items: AppManifest['menu'], base: string) =>
      items.forEach((m, i) => {
        if (m.page && !ids.has(m.page)) throw new Error(`${file}: ${base}[${i}].page: no page "${m.page}" in ${pdir}`);
        if (m.children) walk(m.children, `${base}[${i}].children`);
      });
    walk(manifest.menu, 'menu');
    out.push({ manifest, pages, dir });
  }
  return out;
}
