// AppManager commands: sreworks app apply|list|get|deploy|status|revisions|diff|rollback|live-diff
// and sreworks def list|get|apply|disable|enable|import, all through the API.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { clientFor, type ApiClient } from '../client.js';
import { formatOf, print, type Format } from '../output.js';

const client = clientFor;
const fmt = formatOf;
const enc = encodeURIComponent;

/** An app given by id or by name. */
async function appId(c: ApiClient, ref: string): Promise<string> {
  const apps = await c.list<{ id: string; name: string }>('/api/oam/apps');
  const hit = apps.find((a) => a.id === ref) ?? apps.filter((a) => a.name === ref)[0];
  if (!hit) throw new Error(`no app "${ref}" (by id or name) in your teams`);
  if (apps.filter((a) => a.name === ref).length > 1) throw new Error(`several apps are named "${ref}"; give the id`);
  return hit.id;
}

async function envId(c: ApiClient, ref: string): Promise<string> {
  const envs = await c.list<{ id: string; name: string }>('/api/environments');
  const hit = envs.find((e) => e.id === ref) ?? envs.find((e) => e.name === ref);
  if (!hit) throw new Error(`no environment "${ref}" (by id or name)`);
  return hit.id;
}

function printStatus(st: any, format: Format) {
  if (format !== 'table') return print(st, format);
  const d = st.deployment;
  process.stdout.write(`deployment ${d.id}  revision ${d.revisionNumber}  ${d.status.toUpperCase()}  ${d.message ?? ''}\n\n`);
  print(st.nodes.map((n: any) => ({ node: n.id, status: n.status, message: n.message })), 'table', ['node', 'status', 'message']);
  if (st.events.length) {
    process.stdout.write('\n');
    print(st.events.slice(-10), 'table', ['at', 'level', 'message']);
  }
}

export function registerAppCommands(program: Command): void {
  const app = program.command('app').description('OAM applications: apply, deploy, status, revisions, diff, rollback');

  app
    .command('apply')
    .description('create or update an app from OAM YAML (Application v1beta1 or ApplicationConfiguration v1alpha2)')
    .requiredOption('-f, --file <file>', 'the app YAML')
    .requiredOption('--team <id>', 'owning team id')
    .action(async (o, cmd: Command) => {
      const c = client(cmd);
      const spec = readFileSync(o.file, 'utf8');
      const existing = (await c.list<{ id: string; name: string; team: string }>('/api/oam/apps')).filter((a) => a.team === o.team);
      const rendered = await c.request('POST', '/api/oam/render', { spec });
      const same = existing.find((a) => a.name === rendered.app);
      const res = same ? await c.request('PUT', `/api/oam/apps/${enc(same.id)}`, { spec }) : await c.request('POST', '/api/oam/apps', { team: o.team, spec });
      print(res, fmt(cmd), ['id', 'name', 'team', 'format', 'updatedAt']);
    });

  app.command('list').action(async (_o, cmd: Command) => print(await client(cmd).list('/api/oam/apps'), fmt(cmd), ['id', 'name', 'team', 'format', 'updatedAt']));

  app.command('get <app>').description('the app and its spec').action(async (ref: string, _o, cmd: Command) => {
    const c = client(cmd);
    const a = await c.request('GET', `/api/oam/apps/${enc(await appId(c, ref))}`);
    if (fmt(cmd) === 'table') process.stdout.write(a.spec.endsWith('\n') ? a.spec : a.spec + '\n');
    else print(a, fmt(cmd));
  });

  app
    .command('deploy <app>')
    .description('render, store a revision and deploy to an environment')
    .requiredOption('--env <env>', 'environment id or name')
    .option('--dry-run', 'render and report what would change; apply nothing')
    .option('--wait', 'follow the deployment until it ends')
    .action(async (ref: string, o, cmd: Command) => {
      const c = client(cmd);
      const d = await c.request('POST', `/api/oam/apps/${enc(await appId(c, ref))}/deployments`, { env: await envId(c, o.env), dryRun: !!o.dryRun });
      if (!o.wait) return print(d, fmt(cmd), ['id', 'revisionNumber', 'status', 'message']);
      let st: any;
      for (;;) {
        st = await c.request('GET', `/api/oam/deployments/${enc(d.id)}`);
        if (['succeeded', 'failed', 'canceled', 'suspended'].includes(st.deployment.status)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      printStatus(st, fmt(cmd));
      if (st.deployment.status === 'failed') process.exitCode = 4;
    });

  app.command('status <deployment>').description('the status tree of a deployment').action(async (id: string, _o, cmd: Command) => {
    printStatus(await client(cmd).request('GET', `/api/oam/deployments/${enc(id)}`), fmt(cmd));
  });

  app.command('deployments [app]').description('recent deployments').action(async (ref: string | undefined, _o, cmd: Command) => {
    const c = client(cmd);
    const q = ref ? `?app=${enc(await appId(c, ref))}` : '';
    print((await c.request('GET', `/api/oam/deployments${q}`)).items, fmt(cmd), ['id', 'app', 'revisionNumber', 'status', 'message', 'createdAt']);
  });

  for (const action of ['resume', 'cancel'] as const) {
    app.command(`${action} <deployment>`).action(async (id: string, _o, cmd: Command) => {
      print(await client(cmd).request('POST', `/api/oam/deployments/${enc(id)}/${action}`), fmt(cmd), ['id', 'status', 'message']);
    });
  }

  app.command('revisions <app>').action(async (ref: string, _o, cmd: Command) => {
    const c = client(cmd);
    print((await c.request('GET', `/api/oam/apps/${enc(await appId(c, ref))}/revisions`)).items, fmt(cmd), ['number', 'env', 'createdBy', 'createdAt']);
  });

  app
    .command('diff <app>')
    .description('diff two revisions')
    .requiredOption('--from <n>')
    .requiredOption('--to <n>')
    .action(async (ref: string, o, cmd: Command) => {
      const c = client(cmd);
      const d = await c.request('GET', `/api/oam/apps/${enc(await appId(c, ref))}/diff?from=${enc(o.from)}&to=${enc(o.to)}`);
      if (fmt(cmd) !== 'table') return print(d, fmt(cmd));
      for (const def of d.definitions) process.stdout.write(`definition ${def.definition}: ${def.from ?? '-'} -> ${def.to ?? '-'}\n`);
      for (const ob of d.objects.filter((x: any) => x.change !== 'unchanged')) process.stdout.write(`# ${ob.change}: ${ob.key}\n${ob.diff}\n`);
      if (!d.objects.some((x: any) => x.change !== 'unchanged')) process.stdout.write('no object changes\n');
    });

  app
    .command('live-diff <app>')
    .description('what a deploy would change in the live cluster')
    .requiredOption('--env <env>')
    .action(async (ref: string, o, cmd: Command) => {
      const c = client(cmd);
      const d = await c.request('GET', `/api/oam/apps/${enc(await appId(c, ref))}/live-diff?env=${enc(await envId(c, o.env))}`);
      if (fmt(cmd) !== 'table') return print(d, fmt(cmd));
      for (const it of d.items) process.stdout.write(`# ${it.change}: ${it.ref.kind}/${it.ref.name}\n${it.diff ?? ''}\n`);
    });

  app
    .command('rollback <app>')
    .description('deploy a kept revision again')
    .requiredOption('--revision <n>')
    .option('--env <env>', 'environment (default: the revision\'s)')
    .action(async (ref: string, o, cmd: Command) => {
      const c = client(cmd);
      const body: Record<string, unknown> = { revision: Number(o.revision) };
      if (o.env) body.env = await envId(c, o.env);
      print(await c.request('POST', `/api/oam/apps/${enc(await appId(c, ref))}/rollback`, body), fmt(cmd), ['id', 'revisionNumber', 'status', 'message']);
    });

  app
    .command('build <app>')
    .description('build a component image with kaniko on the cluster of an environment')
    .requiredOption('--component <name>')
    .requiredOption('--env <env>', 'environment whose (Kubernetes) cluster runs the build')
    .requiredOption('--git-url <url>')
    .requiredOption('--image <ref>', 'target image, registry/name:tag')
    .option('--ref <ref>', 'branch, tags/v1 or refs/…', 'main')
    .option('--dockerfile <path>', 'Dockerfile path', 'Dockerfile')
    .option('--context <dir>', 'context directory in the repository', '.')
    .option('--git-secret <name>', 'build secret (kind git) with the repository credentials')
    .option('--push-secret <name>', 'build secret (kind registry) with the push credentials')
    .option('--wait', 'follow until the build ends, then print its logs')
    .action(async (ref: string, o, cmd: Command) => {
      const c = client(cmd);
      const build = {
        name: o.component, git: { url: o.gitUrl, ref: o.ref, ...(o.gitSecret ? { credentialsSecret: o.gitSecret } : {}) },
        dockerfile: o.dockerfile, context: o.context, image: o.image, ...(o.pushSecret ? { pushSecret: o.pushSecret } : {}),
      };
      let b = await c.request('POST', `/api/oam/apps/${enc(await appId(c, ref))}/builds`, { component: o.component, env: await envId(c, o.env), build });
      while (o.wait && ['pending', 'running'].includes(b.status)) {
        await new Promise((r) => setTimeout(r, 1000));
        b = await c.request('GET', `/api/oam/builds/${enc(b.id)}`);
      }
      if (o.wait && fmt(cmd) === 'table') process.stdout.write(b.logs);
      print(b, fmt(cmd), ['id', 'component', 'status', 'message', 'image']);
      if (b.status === 'failed') process.exitCode = 4;
    });

  const def = program.command('def').description('component, trait, policy and workflow-step definitions');
  def.command('list').option('--kind <kind>', 'component | trait | policy | workflow-step').option('--all', 'include disabled').action(async (o, cmd: Command) => {
    const q = new URLSearchParams({ ...(o.kind ? { kind: o.kind } : {}), ...(o.all ? { includeDisabled: 'true' } : {}) });
    print((await client(cmd).request('GET', `/api/oam/definitions?${q}`)).items, fmt(cmd), ['kind', 'name', 'version', 'disabled', 'source', 'description']);
  });
  def.command('get <kind> <name>').action(async (kind: string, name: string, _o, cmd: Command) => {
    const r = await client(cmd).request('GET', `/api/oam/definitions/${enc(kind)}/${enc(name)}`);
    print(r.items, fmt(cmd) === 'table' ? 'yaml' : fmt(cmd));
  });
  def.command('apply').requiredOption('-f, --file <file>', 'definition YAML (several documents allowed)').option('--replace', 'overwrite an existing version').action(async (o, cmd: Command) => {
    const r = await client(cmd).request('POST', '/api/oam/definitions', { yaml: readFileSync(o.file, 'utf8'), replace: !!o.replace });
    print(r.changes, fmt(cmd), ['action', 'kind', 'name', 'version']);
  });
  for (const action of ['disable', 'enable'] as const) {
    def.command(`${action} <kind> <name>`).option('--version <v>').action(async (kind: string, name: string, o, cmd: Command) => {
      const q = o.version ? `?version=${enc(o.version)}` : '';
      print((await client(cmd).request('POST', `/api/oam/definitions/${enc(kind)}/${enc(name)}/${action}${q}`)).changes, fmt(cmd), ['action', 'kind', 'name', 'version']);
    });
  }
  def.command('import <plugin>').description('import a plugin .tgz (definitions and console forms)').option('--name <name>').action(async (file: string, o, cmd: Command) => {
    const r = await client(cmd).request('POST', '/api/oam/plugins', { name: o.name ?? file.replace(/^.*\//, '').replace(/\.t(ar\.)?gz$/, ''), archive: readFileSync(file).toString('base64') });
    print(r, fmt(cmd) === 'table' ? 'yaml' : fmt(cmd));
  });
}
