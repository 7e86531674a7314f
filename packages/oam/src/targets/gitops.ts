// The GitOps target: rendered objects become YAML files committed to a real git repository
// (branch and path per environment) for Argo CD or Flux to sync. Uses the `git` binary.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { InputError, PlatformError } from '@sreworks/kernel';
import { parseAllDocuments } from 'yaml';
import { toYaml, unifiedDiff } from './diff.js';
import { refText, TargetUnavailableError } from './errors.js';
import { ANNOTATION_SHARED, ANNOTATION_SHARED_BY, assertUnique, checkScope, cleanObjects, LABEL_APP, LABEL_ENV, labelSafe } from './kubernetes.js';
import { groupOf, refKey, refOf, sortRefs } from './refs.js';
import type { ApplyScope, GcOptions, GcPlan, K8sObject, LiveDiff, ObjectRef, ObjectStatus, Target, TargetCapabilities, WaitOptions } from './types.js';

const run = promisify(execFile);

export interface GitOpsTargetOptions {
  /** Repository: a local path (use a bare repository) or a URL (https://, ssh://, file://). */
  repo: string;
  /** Directory for this target's working clone. */
  workdir: string;
  /** HTTPS credentials (a token as password); sent as a header, never written to .git/config. */
  credentials?: { username: string; password: string };
  /** Branch per scope (default "main"). */
  branch?: (scope: ApplyScope) => string;
  /** Directory per scope (default "<env>/<cluster>/<namespace>/<app>"). */
  path?: (scope: ApplyScope) => string;
  author?: { name: string; email: string };
  /** When set, health comes from the cluster that Argo CD/Flux syncs to. */
  observer?: Target;
}

/** Kinds without a namespace; everything else defaults to the scope namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'GatewayClass',
  'PriorityClass',
  'RuntimeClass',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ClusterIssuer',
]);

function fileName(r: ObjectRef): string {
  const g = groupOf(r.apiVersion);
  return `${r.kind.toLowerCase()}${g ? `.${g}` : ''}_${r.namespace ?? '_'}_${r.name}.yaml`;
}

export class GitOpsTarget implements Target {
  readonly capabilities: TargetCapabilities;
  private readonly o: Required<Omit<GitOpsTargetOptions, 'credentials' | 'observer'>> & Pick<GitOpsTargetOptions, 'credentials' | 'observer'>;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(opts: GitOpsTargetOptions) {
    if (!opts.repo) throw new InputError('repo is required', { field: 'repo' }, 'OAM_TARGET_GIT_CONFIG');
    if (!opts.workdir) throw new InputError('workdir is required', { field: 'workdir' }, 'OAM_TARGET_GIT_CONFIG');
    this.o = {
      branch: () => 'main',
      path: (s) => posix.join(s.env, s.cluster, s.namespace, s.app),
      author: { name: 'SREWorks', email: 'sreworks@localhost' },
      ...opts,
    };
    this.capabilities = { observesHealth: !!opts.observer, kind: 'gitops' };
  }

  // ---- git plumbing ----------------------------------------------------------------------

  private authArgs(): string[] {
    const c = this.o.credentials;
    if (!c || !/^https?:/i.test(this.o.repo)) return [];
    return ['-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`];
  }

  private async git(args: string[], opts: { cwd?: string; allowFail?: boolean } = {}): Promise<{ stdout: string; ok: boolean; stderr: string }> {
    try {
      const { stdout, stderr } = await run('git', [...this.authArgs(), ...args], {
        cwd: opts.cwd ?? this.o.workdir,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: this.o.author.name, GIT_AUTHOR_EMAIL: this.o.author.email, GIT_COMMITTER_NAME: this.o.author.name, GIT_COMMITTER_EMAIL: this.o.author.email },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { stdout, stderr, ok: true };
    } catch (e) {
      const err = e as { stderr?: string; message: string; code?: string };
      if (err.code === 'ENOENT') throw new PlatformError('OAM_TARGET_GIT_MISSING', 500, 'the git binary is not installed on this server');
      if (opts.allowFail) return { stdout: '', stderr: err.stderr ?? err.message, ok: false };
      const msg = (err.stderr ?? err.message).replace(/Authorization: Basic [A-Za-z0-9+/=]+/g, 'Authorization: Basic ***').trim();
      throw new TargetUnavailableError(`git ${args[0]} failed for ${this.redactedRepo()}: ${msg}`, { repo: this.redactedRepo() });
    }
  }

  private redactedRepo(): string {
    return this.o.repo.replace(/\/\/[^@/]+@/, '//***@');
  }

  /** Serialise operations on the working clone. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.catch(() => undefined).then(fn);
    this.lock = next;
    return next;
  }

  private async ensureClone(): Promise<void> {
    if (existsSync(join(this.o.workdir, '.git'))) return;
    await mkdir(this.o.workdir, { recursive: true });
    await this.git(['init', '-q'], { cwd: this.o.workdir });
    await this.git(['remote', 'add', 'origin', this.o.repo]);
  }

  /** Check out the scope's branch at the remote head (or a fresh orphan branch). */
  private async checkout(branch: string): Promise<void> {
    await this.ensureClone();
    const fetched = await this.git(['fetch', '-q', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`], { allowFail: true });
    if (fetched.ok) {
      await this.git(['checkout', '-q', '-f', '-B', branch, `refs/remotes/origin/${branch}`]);
      await this.git(['clean', '-q', '-fdx']);
      return;
    }
    if (!/couldn't find remote ref|not found|does not appear/i.test(fetched.stderr)) {
      const msg = fetched.stderr.replace(/Authorization: Basic [A-Za-z0-9+/=]+/g, 'Authorization: Basic ***').trim();
      throw new TargetUnavailableError(`git fetch failed for ${this.redactedRepo()}: ${msg}`, { repo: this.redactedRepo() });
    }
    await this.git(['checkout', '-q', '-f', '--orphan', branch]);
    await this.git(['rm', '-rfq', '--ignore-unmatch', '.']);
    await this.git(['clean', '-q', '-fdx']);
  }

  private async head(): Promise<string> {
    return (await this.git(['rev-parse', '--short=12', 'HEAD'], { allowFail: true })).stdout.trim();
  }

  // ---- files -----------------------------------------------------------------------------

  private prepare(objects: K8sObject[], scope: ApplyScope): K8sObject[] {
    checkScope(scope);
    const out = cleanObjects(objects).map((o) => {
      if (CLUSTER_SCOPED.has(o.kind)) delete o.metadata.namespace;
      else o.metadata.namespace ??= scope.namespace;
      const labels = (o.metadata.labels ??= {});
      labels[LABEL_APP] ??= labelSafe(scope.app);
      labels[LABEL_ENV] ??= labelSafe(scope.env);
      return o;
    });
    assertUnique(out);
    return out;
  }

  private dir(scope: ApplyScope): string {
    const p = posix.normalize(this.o.path(scope)).replace(/^\/+/, '');
    if (p.startsWith('..')) throw new InputError(`path for ${scope.app}/${scope.env} escapes the repository: ${p}`, { field: 'path' }, 'OAM_TARGET_GIT_CONFIG');
    return p;
  }

  /** Objects currently committed under the scope's directory, by ref key. */
  private async readDir(scope: ApplyScope): Promise<Map<string, { ref: ObjectRef; file: string; text: string; obj: K8sObject }>> {
    const abs = join(this.o.workdir, this.dir(scope));
    const out = new Map<string, { ref: ObjectRef; file: string; text: string; obj: K8sObject }>();
    if (!existsSync(abs)) return out;
    for (const f of (await readdir(abs)).sort()) {
      if (!f.endsWith('.yaml') || f === 'kustomization.yaml') continue;
      const text = await readFile(join(abs, f), 'utf8');
      for (const doc of parseAllDocuments(text)) {
        const obj = doc.toJS() as K8sObject | null;
        if (!obj?.kind || !obj.metadata?.name) continue;
        const ref = refOf(obj);
        out.set(refKey(ref), { ref, file: f, text, obj });
      }
    }
    return out;
  }

  private render(o: K8sObject, scope: ApplyScope): string {
    return `# Managed by SREWorks: app ${scope.app}, env ${scope.env}. Edits here are overwritten on the next deploy.\n${toYaml(o)}`;
  }

  private async writeKustomization(scope: ApplyScope): Promise<void> {
    const abs = join(this.o.workdir, this.dir(scope));
    const files = existsSync(abs) ? (await readdir(abs)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort() : [];
    if (files.length === 0) {
      await rm(join(abs, 'kustomization.yaml'), { force: true });
      return;
    }
    await writeFile(join(abs, 'kustomization.yaml'), toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }));
  }

  /** Commit the scope directory and push; on a rejected push (someone else pushed), redo on top. */
  private async commitAndPush(scope: ApplyScope, message: string, mutate: () => Promise<void>): Promise<{ sha: string; changed: boolean }> {
    const branch = this.o.branch(scope);
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.checkout(branch);
      await mutate();
      await this.writeKustomization(scope);
      const dir = this.dir(scope);
      await this.git(['add', '-A', '--', dir]);
      const status = await this.git(['status', '--porcelain', '--', dir]);
      if (status.stdout.trim() === '') return { sha: await this.head(), changed: false };
      await this.git(['commit', '-q', '-m', message]);
      const pushed = await this.git(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], { allowFail: true });
      if (pushed.ok) return { sha: await this.head(), changed: true };
      if (!/rejected|non-fast-forward|fetch first/i.test(pushed.stderr)) {
        throw new TargetUnavailableError(`git push to ${this.redactedRepo()} failed: ${pushed.stderr.trim()}`, { repo: this.redactedRepo() });
      }
    }
    throw new PlatformError('OAM_TARGET_GIT_CONTENDED', 409, `could not push to ${this.redactedRepo()} branch ${branch}: three attempts lost the race to other writers`);
  }

  // ---- Target ----------------------------------------------------------------------------

  async apply(objects: K8sObject[], scope: ApplyScope, opts: { dryRun?: boolean } = {}): Promise<ObjectStatus[]> {
    const prepared = this.prepare(objects, scope);
    const where = `${this.o.branch(scope)}:${this.dir(scope)}`;
    if (opts.dryRun) {
      const diffs = await this.liveDiff(prepared, scope);
      return diffs.map((d) => ({ ref: d.ref, healthy: false, phase: 'unknown', message: `dry-run: would ${d.change === 'none' ? 'leave unchanged' : d.change} ${where}/${fileName(d.ref)}` }));
    }
    const { sha, changed } = await this.exclusive(() =>
      this.commitAndPush(scope, `sreworks: deploy ${scope.app} to ${scope.env} (revision ${scope.revision}, cluster ${scope.cluster})`, async () => {
        const abs = join(this.o.workdir, this.dir(scope));
        await mkdir(abs, { recursive: true });
        for (const o of prepared) await writeFile(join(abs, fileName(refOf(o))), this.render(o, scope));
      }),
    );
    return prepared.map((o) => ({
      ref: refOf(o),
      component: o.metadata.labels?.['app.oam.dev/component'],
      healthy: false,
      phase: 'progressing',
      message: `${changed ? 'committed' : 'unchanged at'} ${sha} to ${where}, sync pending`,
    }));
  }

  async health(objects: K8sObject[], scope: ApplyScope, custom?: Parameters<Target['health']>[2]): Promise<ObjectStatus[]> {
    if (this.o.observer) return this.o.observer.health(objects, scope, custom);
    const prepared = this.prepare(objects, scope);
    return this.exclusive(async () => {
      await this.checkout(this.o.branch(scope));
      const sha = await this.head();
      const committed = await this.readDir(scope);
      return prepared.map((o): ObjectStatus => {
        const ref = refOf(o);
        const c = committed.get(refKey(ref));
        if (!c) return { ref, healthy: false, phase: 'missing', message: `not in ${this.o.branch(scope)}:${this.dir(scope)}` };
        const same = c.text === this.render(o, scope);
        return { ref, component: o.metadata.labels?.['app.oam.dev/component'], healthy: false, phase: 'progressing', message: same ? `committed at ${sha}, sync pending` : `repository holds a different version at ${sha}; not yet committed` };
      });
    });
  }

  async waitHealthy(objects: K8sObject[], scope: ApplyScope, opts: WaitOptions = {}): Promise<ObjectStatus[]> {
    if (this.o.observer) return this.o.observer.waitHealthy(objects, scope, opts);
    const statuses = await this.health(objects, scope);
    throw new PlatformError(
      'OAM_TARGET_HEALTH_UNOBSERVABLE',
      409,
      `GitOps target for ${this.redactedRepo()} has no cluster observer, so the sync of ${statuses.length} object(s) by Argo CD/Flux cannot be observed; configure an observer or treat "committed" as done`,
      { statuses: statuses.map((s) => ({ object: refText(s.ref), phase: s.phase, message: s.message })) },
    );
  }

  async inventory(scope: ApplyScope): Promise<ObjectRef[]> {
    checkScope(scope);
    return this.exclusive(async () => {
      await this.checkout(this.o.branch(scope));
      return sortRefs([...(await this.readDir(scope)).values()].map((c) => c.ref));
    });
  }

  async gcPlan(scope: ApplyScope, keep: ObjectRef[], opts: GcOptions = {}): Promise<GcPlan> {
    checkScope(scope);
    return this.exclusive(async () => {
      await this.checkout(this.o.branch(scope));
      return this.plan(await this.readDir(scope), scope, keep, opts);
    });
  }

  private plan(committed: Map<string, { ref: ObjectRef; obj: K8sObject }>, scope: ApplyScope, keep: ObjectRef[], opts: GcOptions): GcPlan {
    const keepKeys = new Set(keep.map((r) => refKey({ ...r, namespace: r.namespace ?? (CLUSTER_SCOPED.has(r.kind) ? undefined : scope.namespace) })));
    const plan: GcPlan = { delete: [], retain: [], gone: [] };
    for (const [k, c] of committed) {
      if (keepKeys.has(k)) continue;
      const a = c.obj.metadata.annotations ?? {};
      if (c.ref.kind === 'PersistentVolumeClaim' && !opts.includePVC) plan.retain.push({ ref: c.ref, reason: 'PersistentVolumeClaim kept (holds data); pass includePVC to delete' });
      else if (c.ref.kind === 'Namespace' && !opts.includeNamespaces) plan.retain.push({ ref: c.ref, reason: 'Namespace kept; pass includeNamespaces to delete' });
      else if ((a[ANNOTATION_SHARED] === 'true' || !!a[ANNOTATION_SHARED_BY]) && !opts.includeShared) plan.retain.push({ ref: c.ref, reason: 'annotated as shared; pass includeShared to delete' });
      else plan.delete.push(c.ref);
    }
    plan.delete = sortRefs(plan.delete);
    return plan;
  }

  async gc(scope: ApplyScope, keep: ObjectRef[], opts: GcOptions = {}): Promise<ObjectRef[]> {
    checkScope(scope);
    let deleted: ObjectRef[] = [];
    await this.exclusive(() =>
      this.commitAndPush(scope, `sreworks: collect garbage of ${scope.app} in ${scope.env} (revision ${scope.revision})`, async () => {
        const committed = await this.readDir(scope);
        const plan = this.plan(committed, scope, keep, opts);
        deleted = plan.delete;
        const abs = join(this.o.workdir, this.dir(scope));
        const files = new Set(plan.delete.map((r) => committed.get(refKey(r))!.file));
        for (const f of files) await rm(join(abs, f), { force: true });
      }),
    );
    return deleted;
  }

  async liveDiff(objects: K8sObject[], scope: ApplyScope): Promise<LiveDiff[]> {
    const prepared = this.prepare(objects, scope);
    return this.exclusive(async () => {
      await this.checkout(this.o.branch(scope));
      const committed = await this.readDir(scope);
      return prepared.map((o): LiveDiff => {
        const ref = refOf(o);
        const c = committed.get(refKey(ref));
        const next = this.render(o, scope);
        const file = posix.join(this.dir(scope), fileName(ref));
        if (!c) return { ref, change: 'create', diff: unifiedDiff('', next, '/dev/null', file) };
        const diff = unifiedDiff(c.text, next, file, file);
        return { ref, change: diff ? 'update' : 'none', diff };
      });
    });
  }
}
