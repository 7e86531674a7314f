// Build commands: sreworks build secret set|list|delete (a team's git and registry credentials,
// sealed on the server and never shown again), sreworks build list|get. `sreworks app build`
// starts a build.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { clientFor, type ApiClient } from '../client.js';
import { formatOf, print } from '../output.js';

const enc = encodeURIComponent;
/** Field names as one column in a table. */
const row = (s: any, table: boolean) => (table ? { ...s, fields: (s.fields ?? []).join(',') } : s);

/** A team given by id or by name. */
async function teamId(c: ApiClient, ref: string): Promise<string> {
  const teams = await c.list<{ id: string; name: string }>('/api/teams');
  const hit = teams.find((t) => t.id === ref) ?? teams.find((t) => t.name === ref);
  if (!hit) throw new Error(`no team "${ref}" (by id or name)`);
  return hit.id;
}

/** Secret values come from stdin or a file, never from the command line (shell history, ps). */
function readValue(o: { fromFile?: string }, stdin: boolean): string | undefined {
  if (o.fromFile) return readFileSync(o.fromFile, 'utf8').trim();
  if (stdin) return readFileSync(0, 'utf8').trim();
  return undefined;
}

export function registerBuildCommands(program: Command): void {
  const build = program.command('build').description('image builds (kaniko) and their credentials; start one with `sreworks app build`');

  build.command('get <id>').description('a build: status, message, image digest and logs').action(async (id: string, _o, cmd: Command) => {
    const b = await clientFor(cmd).request('GET', `/api/oam/builds/${enc(id)}`);
    if (formatOf(cmd) === 'table') process.stdout.write(b.logs ?? '');
    print(b, formatOf(cmd), ['id', 'component', 'status', 'message', 'image']);
  });

  const secret = build.command('secret').description('team build secrets: git credentials and registry push credentials (write-only)');
  secret
    .command('set <name>')
    .description('create or replace a secret; the value is read from stdin or a file')
    .requiredOption('--team <team>', 'owning team (id or name)')
    .requiredOption('--kind <kind>', 'registry | git')
    .option('--registry <host>', 'registry: the registry host (default: from the image)')
    .option('--username <name>', 'registry or git user name')
    .option('--password-stdin', 'read the password from stdin')
    .option('--token-stdin', 'git: read an access token from stdin')
    .option('--docker-config <file>', 'registry: a docker config.json ({"auths": …}) instead of username/password')
    .option('--from-file <file>', 'read the password or token from a file instead of stdin')
    .action(async (name: string, o, cmd: Command) => {
      const c = clientFor(cmd);
      let data: Record<string, string>;
      if (o.kind === 'registry') {
        if (o.dockerConfig) data = { dockerconfigjson: readFileSync(o.dockerConfig, 'utf8') };
        else {
          const password = readValue(o, !!o.passwordStdin);
          data = { ...(o.registry ? { registry: o.registry } : {}), ...(o.username ? { username: o.username } : {}), ...(password ? { password } : {}) };
        }
      } else if (o.kind === 'git') {
        const value = readValue(o, !!(o.passwordStdin || o.tokenStdin));
        data = { ...(o.username ? { username: o.username } : {}), ...(value ? { [o.passwordStdin ? 'password' : 'token']: value } : {}) };
      } else {
        throw new Error('--kind must be registry or git');
      }
      const r = await c.request('PUT', `/api/oam/build-secrets/${enc(await teamId(c, o.team))}/${enc(name)}`, { kind: o.kind, data });
      print(row(r, formatOf(cmd) === 'table'), formatOf(cmd), ['team', 'name', 'kind', 'fields', 'updatedAt']);
    });
  secret
    .command('list')
    .option('--team <team>', 'one team (id or name)')
    .action(async (o, cmd: Command) => {
      const c = clientFor(cmd);
      const q = o.team ? `?team=${enc(await teamId(c, o.team))}` : '';
      const table = formatOf(cmd) === 'table';
      print((await c.request('GET', `/api/oam/build-secrets${q}`)).items.map((s: any) => row(s, table)), formatOf(cmd), ['team', 'name', 'kind', 'fields', 'updatedAt', 'updatedBy']);
    });
  secret
    .command('delete <name>')
    .requiredOption('--team <team>', 'owning team (id or name)')
    .action(async (name: string, o, cmd: Command) => {
      const c = clientFor(cmd);
      print(await c.request('DELETE', `/api/oam/build-secrets/${enc(await teamId(c, o.team))}/${enc(name)}`), formatOf(cmd));
    });
}
