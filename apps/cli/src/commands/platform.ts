// Platform commands: login, tokens, users, teams, clusters, environments, audit.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { clientFor, saveCliConfig } from '../client.js';
import { formatOf, print } from '../output.js';

const client = clientFor;
const fmt = formatOf;

async function readPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return readFileSync(0, 'utf8').split('\n')[0]!.trim();
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const pw = await rl.question(prompt);
  rl.close();
  return pw;
}

export function registerPlatformCommands(program: Command): void {
  program
    .command('login')
    .description('log in and store an API token for this machine in ~/.config/sreworks/config.json')
    .requiredOption('-u, --username <name>', 'user name')
    .option('--password-stdin', 'read the password from stdin')
    .option('--scopes <list>', 'token scopes, comma separated', '*')
    .option('--expires-in-days <n>', 'token lifetime in days', '90')
    .action(async (o, cmd: Command) => {
      const c = client(cmd);
      const password = await readPassword('password: ', !!o.passwordStdin);
      const res = await fetch(c.config.url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: o.username, password }) });
      if (!res.ok) throw new Error(`login failed: ${res.status} ${(await res.json().catch(() => ({})) as any)?.error?.message ?? ''}`);
      const cookies = res.headers.getSetCookie().map((s) => s.split(';')[0]).join('; ');
      const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
      const expiresAt = new Date(Date.now() + Number(o.expiresInDays) * 86400_000).toISOString();
      const tr = await fetch(c.config.url + '/api/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookies, 'x-csrf-token': csrf },
        body: JSON.stringify({ name: `cli@${hostname()}`, scopes: String(o.scopes).split(','), expiresAt }),
      });
      if (!tr.ok) throw new Error(`token creation failed: ${tr.status}`);
      const { token } = (await tr.json()) as { token: string };
      const p = saveCliConfig({ url: c.config.url, token });
      process.stdout.write(`logged in to ${c.config.url} as ${o.username}; token saved to ${p}\n`);
    });

  program.command('whoami').description('who the current credentials belong to').action(async (_o, cmd: Command) => {
    const me = await client(cmd).request('GET', '/api/auth/me');
    print({ username: me.user.username, role: me.user.platformRole, teams: me.teams.map((t: any) => `${t.name}:${t.role}`).join(' '), via: me.via }, fmt(cmd));
  });

  const token = program.command('token').description('personal API tokens');
  token.command('list').action(async (_o, cmd: Command) => print(await client(cmd).list('/api/tokens'), fmt(cmd), ['id', 'name', 'prefix', 'scopes', 'expiresAt', 'lastUsedAt']));
  token
    .command('create <name>')
    .option('--scopes <list>', 'comma-separated permission patterns (app.read, app.*, *.read, *)', '*')
    .option('--expires-at <iso>', 'expiry time (ISO-8601)')
    .description('create a token; the secret is printed once')
    .action(async (name: string, o, cmd: Command) => {
      const t = await client(cmd).request('POST', '/api/tokens', { name, scopes: String(o.scopes).split(','), ...(o.expiresAt ? { expiresAt: o.expiresAt } : {}) });
      print(t, fmt(cmd), ['id', 'name', 'scopes', 'expiresAt', 'token']);
    });
  token.command('revoke <id>').action(async (id: string, _o, cmd: Command) => {
    await client(cmd).request('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
    process.stdout.write(`revoked ${id}\n`);
  });

  const user = program.command('user').description('users (admins)');
  user.command('list').action(async (_o, cmd: Command) => print(await client(cmd).list('/api/users'), fmt(cmd), ['id', 'username', 'displayName', 'platformRole', 'disabled']));
  user
    .command('create <username>')
    .option('--admin', 'platform admin')
    .option('--password-stdin', 'read the password from stdin')
    .action(async (username: string, o, cmd: Command) => {
      const password = await readPassword('password for the new user: ', !!o.passwordStdin);
      print(await client(cmd).request('POST', '/api/users', { username, password, platformRole: o.admin ? 'admin' : 'user' }), fmt(cmd), ['id', 'username', 'platformRole']);
    });

  const team = program.command('team').description('teams and members');
  team.command('list').action(async (_o, cmd: Command) => print(await client(cmd).list('/api/teams'), fmt(cmd), ['id', 'name', 'role', 'description']));
  team.command('create <name>').option('-d, --description <text>').action(async (name: string, o, cmd: Command) => {
    print(await client(cmd).request('POST', '/api/teams', { name, ...(o.description ? { description: o.description } : {}) }), fmt(cmd), ['id', 'name', 'role']);
  });
  team.command('members <teamId>').action(async (id: string, _o, cmd: Command) => print(await client(cmd).list(`/api/teams/${encodeURIComponent(id)}/members`), fmt(cmd), ['username', 'role']));
  team
    .command('add-member <teamId> <username>')
    .option('--role <role>', 'owner | admin | member | viewer', 'member')
    .action(async (id: string, username: string, o, cmd: Command) => {
      print(await client(cmd).request('PUT', `/api/teams/${encodeURIComponent(id)}/members`, { username, role: o.role }), fmt(cmd), ['username', 'role']);
    });

  const cluster = program.command('cluster').description('Kubernetes clusters and GitOps targets');
  cluster.command('list').action(async (_o, cmd: Command) => print(await client(cmd).list('/api/clusters'), fmt(cmd), ['id', 'name', 'team', 'kind', 'apiServer']));
  cluster.command('get <id>').action(async (id: string, _o, cmd: Command) => print(await client(cmd).request('GET', `/api/clusters/${encodeURIComponent(id)}`), fmt(cmd) === 'table' ? 'yaml' : fmt(cmd)));
  cluster
    .command('add <name>')
    .requiredOption('--team <id>', 'owning team id')
    .option('--kubeconfig <file>', 'kubeconfig file (stored sealed)')
    .option('--git-url <url>', 'GitOps target repository')
    .option('--git-branch <branch>', 'branch', 'main')
    .option('--git-path <path>', 'path in the repository', '')
    .option('-d, --description <text>')
    .action(async (name: string, o, cmd: Command) => {
      const body: Record<string, unknown> = { team: o.team, name, kind: o.kubeconfig ? 'kubernetes' : 'gitops' };
      if (o.description) body.description = o.description;
      if (o.kubeconfig) body.kubeconfig = readFileSync(o.kubeconfig, 'utf8');
      else if (o.gitUrl) body.git = { url: o.gitUrl, branch: o.gitBranch, path: o.gitPath };
      else throw new Error('give --kubeconfig FILE or --git-url URL');
      print(await client(cmd).request('POST', '/api/clusters', body), fmt(cmd), ['id', 'name', 'kind', 'apiServer']);
    });
  cluster.command('delete <id>').action(async (id: string, _o, cmd: Command) => {
    await client(cmd).request('DELETE', `/api/clusters/${encodeURIComponent(id)}`);
    process.stdout.write(`deleted cluster ${id}\n`);
  });

  const env = program.command('env').description('environments (dev, prod, …) bound to a cluster and namespace');
  env.command('list').action(async (_o, cmd: Command) => print(await client(cmd).list('/api/environments'), fmt(cmd), ['id', 'name', 'team', 'clusterName', 'namespace', 'stage']));
  env
    .command('create <name>')
    .requiredOption('--team <id>')
    .requiredOption('--cluster <id>')
    .requiredOption('--namespace <ns>')
    .option('--stage <stage>', 'dev | test | staging | prod', 'dev')
    .action(async (name: string, o, cmd: Command) => {
      print(await client(cmd).request('POST', '/api/environments', { name, team: o.team, cluster: o.cluster, namespace: o.namespace, stage: o.stage }), fmt(cmd), ['id', 'name', 'namespace', 'stage']);
    });
  env.command('delete <id>').action(async (id: string, _o, cmd: Command) => {
    await client(cmd).request('DELETE', `/api/environments/${encodeURIComponent(id)}`);
    process.stdout.write(`deleted environment ${id}\n`);
  });

  program
    .command('audit')
    .description('recent audit records (admins)')
    .option('--actor <name>')
    .option('--limit <n>', 'records', '50')
    .action(async (o, cmd: Command) => {
      const q = new URLSearchParams({ limit: o.limit, ...(o.actor ? { actor: o.actor } : {}) });
      const page = await client(cmd).request('GET', `/api/audit?${q}`);
      print(page.items, fmt(cmd), ['at', 'actor', 'action', 'target', 'outcome']);
    });
}
