// Offline dry-run: text in, Kubernetes objects out (YAML or JSON), no server and no cluster.
// Used by `sreworks render` and, later, by the render API route.
import { stringify } from 'yaml';
import type { AppModel } from '../model/model.js';
import { parseApplication } from '../parse/parse.js';
import type { DefinitionRegistry } from '../definitions/registry.js';
import { renderApp, type RenderEngine, type RenderEnv, type RenderResult } from '../render/render.js';

export interface DryRunOptions {
  registry: DefinitionRegistry;
  env?: RenderEnv;
  engine?: RenderEngine;
  document?: string;
}

export async function dryRun(text: string, opts: DryRunOptions): Promise<{ model: AppModel; result: RenderResult }> {
  const model = parseApplication(text, { document: opts.document });
  const result = await renderApp(model, { registry: opts.registry, env: opts.env, engine: opts.engine });
  return { model, result };
}

/** The objects as a multi-document YAML stream, each preceded by a provenance comment. */
export function formatObjectsYaml(result: RenderResult): string {
  // Name the cluster (and deploy step) once an app renders to more than one place.
  const multi = (result.placements?.length ?? 1) > 1;
  return result.objects
    .map((o) => {
      const from = [multi && o.step ? `step: ${o.step}` : '', multi && o.cluster ? `cluster: ${o.cluster}` : '', `component: ${o.component || '(app)'}`, o.trait ? `trait: ${o.trait}` : '', o.resourceKey ? `output: ${o.resourceKey}` : '', o.reference ? 'reference (read, not applied)' : '']
        .filter(Boolean)
        .join(', ');
      return `---\n# ${from}\n${stringify(o.object, { lineWidth: 0 })}`;
    })
    .join('');
}

export function formatObjectsJson(result: RenderResult): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: result.objects.map((o) => o.object) }, null, 2) + '\n';
}
