// `sreworks render -f app.yaml [-d definitions-dir] [--env NAME] [-o yaml|json]`: offline render
// of a KubeVela Application or SREWorks ApplicationConfiguration to Kubernetes objects, with the
// built-in definitions (plus a directory of extra ones). No server, no cluster.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createBuiltinRegistry, dryRun, formatObjectsJson, formatObjectsYaml, loadDefinitionsDir, RenderEngine } from '@sreworks/oam';

interface RenderCliOptions {
  file: string;
  definitions?: string[];
  env?: string;
  namespace?: string;
  cluster?: string;
  output?: string;
  summary?: boolean;
}

export function registerRenderCommands(program: Command): void {
  const cmd = program
    .command('render')
    .description('render an application to Kubernetes objects offline (validated against the Kubernetes OpenAPI schema)')
    .requiredOption('-f, --file <file>', 'application YAML (core.oam.dev/v1beta1 Application or v1alpha2 ApplicationConfiguration); - for stdin')
    .option('-d, --definitions <dir...>', 'directories of extra definitions (YAML + .js templates), loaded over the built-ins')
    .option('--env <name>', 'environment: a deploy step or topology policy of the app')
    .option('--namespace <ns>', 'target namespace (overrides the topology policy)')
    .option('--cluster <name>', 'target cluster name (labels and context only)')
    .option('--summary', 'print one line per object with its source component and trait instead of the objects');
  // The root program may already own -o/--output (table|json|yaml); reuse it rather than shadow it.
  const rootHasOutput = (program.options as readonly { long?: string }[]).some((o) => o.long === '--output');
  if (!rootHasOutput) cmd.option('-o, --output <format>', 'yaml | json', 'yaml');
  cmd.action(async (_opts: RenderCliOptions, self: Command) => {
    const o = self.optsWithGlobals() as RenderCliOptions;
    const format = o.output === 'json' ? 'json' : 'yaml';
    const engine = await RenderEngine.create();
    try {
      const text = o.file === '-' ? readFileSync(0, 'utf8') : readFileSync(o.file, 'utf8');
      const extra = (o.definitions ?? []).flatMap((d) => loadDefinitionsDir(d));
      const registry = createBuiltinRegistry(extra);
      const { result } = await dryRun(text, { registry, engine, document: o.file === '-' ? 'stdin' : o.file, env: { name: o.env, namespace: o.namespace, cluster: o.cluster } });
      if (o.summary) {
        const lines = result.objects.map((x) => `${x.object.apiVersion}/${x.object.kind} ${x.object.metadata.namespace ?? ''}/${x.object.metadata.name}\tcomponent=${x.component || '-'}${x.trait ? ` trait=${x.trait}` : ''}${x.validated ? '' : ' (no OpenAPI model)'}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      } else process.stdout.write(format === 'json' ? formatObjectsJson(result) : formatObjectsYaml(result));
    } catch (e) {
      const err = e as Error & { code?: string; details?: { field?: string } };
      const field = err.details && !Array.isArray(err.details) ? err.details.field : undefined;
      process.stderr.write(`error${err.code ? ` ${err.code}` : ''}: ${err.message}${field && !err.message.includes(field) ? ` (${field})` : ''}\n`);
      process.exitCode = 2;
    } finally {
      engine.dispose();
    }
  });
}
