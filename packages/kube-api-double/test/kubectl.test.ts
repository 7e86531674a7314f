// The real kubectl against the double: the protocol is right when an unmodified client works.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble, type KubeApiDouble } from '../src/index.js';

const run = promisify(execFile);
const kubectlPath = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
if (!kubectlPath) console.info('[kubectl.test] skipped: no kubectl binary on this machine');

let d: KubeApiDouble;
let dir: string;
let kc: string;

async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(kubectlPath!, ['--kubeconfig', kc, ...args], { timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number };
    return { out: x.stdout ?? '', err: x.stderr ?? '', code: x.code ?? 1 };
  }
}

describe.skipIf(!kubectlPath)('kubectl against the double', () => {
  beforeAll(async () => {
    d = await startKubeApiDouble({ controllers: { readyAfterMs: 100 } });
    dir = mkdtempSync(join(tmpdir(), 'kubectl-double-'));
    kc = await d.writeKubeconfig(join(dir, 'kubeconfig'));
    writeFileSync(
      join(dir, 'web.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n',
    );
  });
  afterAll(async () => {
    await d?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies server-side, waits for rollout, prints tables, scales, reports SSA conflicts, reads logs, deletes', async () => {
    const file = join(dir, 'web.yaml');
    expect((await kubectl('apply', '--server-side', '--validate=false', '-f', file)).out).toContain('deployment.apps/web serverside-applied');
    expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).out).toContain('deployment "web" successfully rolled out');
    const table = (await kubectl('get', 'deployments')).out;
    expect(table).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(table).toMatch(/web\s+2\/2\s+2\s+2/);
    expect((await kubectl('get', 'pods', '-l', 'app=web', '-o', 'name')).out.trim().split('\n')).toHaveLength(2);
    expect((await kubectl('scale', 'deployment/web', '--replicas=3')).out).toContain('scaled');
    const conflict = await kubectl('apply', '--server-side', '--validate=false', '-f', file);
    expect(conflict.code).not.toBe(0);
    expect(conflict.err).toContain('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
    expect((await kubectl('apply', '--server-side', '--force-conflicts', '--validate=false', '-f', file)).code).toBe(0);
    const managers = (await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.managedFields[*].manager}')).out;
    expect(managers).toContain('kubectl');
    expect((await kubectl('logs', '-l', 'app=web', '--tail=1')).out).toContain('container main started (image nginx:1.27)');
    expect((await kubectl('get', 'events')).out).toContain('ScalingReplicaSet');
    expect((await kubectl('delete', 'deployment', 'web')).out).toContain('deployment.apps "web" deleted');
    const notFound = await kubectl('get', 'deployment', 'web');
    expect(notFound.err).toContain('Error from server (NotFound): deployments.apps "web" not found');
  });
});
