// bench:deploy — deployment throughput against the Kubernetes API double: apps/s with N
// concurrent workers, each app 3 Deployments + 3 Services applied (SSA) and waited healthy.
//
//   npm run bench:deploy -w @sreworks/oam -- [--apps 200] [--workers 4] [--ready-after-ms 50]
//
// The double runs in a child process so its CPU is not charged to the engine's event loop.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubernetesTarget, type ApplyScope, type K8sObject } from '../src/targets/index.js';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '200' },
    workers: { type: 'string', default: '4' },
    'ready-after-ms': { type: 'string', default: '50' },
    warmup: { type: 'string', default: '8' },
  },
});
const APPS = Number(values.apps);
const WORKERS = Number(values.workers);
const READY_MS = Number(values['ready-after-ms']);
const WARMUP = Number(values.warmup);

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../../kube-api-double/src/cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
const kubeconfig = join(dir, 'kubeconfig');

const child = spawn(process.execPath, ['--import', 'tsx', cli, '--kubeconfig', kubeconfig, '--ready-after-ms', String(READY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((res, rej) => {
  createInterface({ input: child.stdout! }).once('line', res);
  child.once('exit', (c) => rej(new Error(`double exited with ${c}`)));
});
const { url } = JSON.parse(first) as { url: string };

function app(i: number): { objs: K8sObject[]; scope: ApplyScope } {
  const ns = 'bench';
  const objs: K8sObject[] = [];
  for (const c of ['frontend', 'api', 'worker']) {
    const name = `app${i}-${c}`;
    objs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels: { 'app.oam.dev/component': c } },
      spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: c, image: `registry.example.com/${c}:1.0.${i}`, ports: [{ containerPort: 8080 }], env: [{ name: 'APP', value: `app${i}` }] }] } } },
    });
    objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  return { objs, scope: { app: `app${i}`, env: 'bench', namespace: ns, cluster: 'double', revision: 'r1' } };
}

const target = new KubernetesTarget({ kubeconfig });

async function deployOne(i: number): Promise<number> {
  const t0 = performance.now();
  const { objs, scope } = app(i);
  await target.apply(objs, scope);
  await target.waitHealthy(objs, scope, { timeoutMs: 60_000, pollMs: 5_000 });
  return performance.now() - t0;
}

async function runBatch(from: number, count: number): Promise<{ ms: number; lat: number[] }> {
  let next = from;
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < from + count) lat.push(await deployOne(next++));
    }),
  );
  return { ms: performance.now() - t0, lat };
}

/** CPU seconds used so far by a child process (Linux /proc; undefined elsewhere). */
function childCpuSeconds(pid: number | undefined): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

try {
  await runBatch(0, WARMUP);
  const cpu0 = process.cpuUsage();
  const dcpu0 = childCpuSeconds(child.pid);
  const load = loadavg()[0];
  const { ms, lat } = await runBatch(WARMUP, APPS);
  const cpu = process.cpuUsage(cpu0);
  const dcpu1 = childCpuSeconds(child.pid);
  const appsPerSec = APPS / (ms / 1000);
  const rows = [
    ['apps deployed', String(APPS)],
    ['workers', String(WORKERS)],
    ['objects per app', '3 Deployments + 3 Services (+ inventory ConfigMap)'],
    ['double readiness delay', `${READY_MS} ms`],
    ['wall time', `${(ms / 1000).toFixed(2)} s`],
    ['throughput', `${appsPerSec.toFixed(1)} apps/s`],
    ['per-app latency p50 / p99', `${pct(lat, 50).toFixed(0)} ms / ${pct(lat, 99).toFixed(0)} ms`],
    ['engine CPU per app', `${((cpu.user + cpu.system) / 1000 / APPS).toFixed(1)} ms`],
    ['API double CPU per app', dcpu0 !== undefined && dcpu1 !== undefined ? `${(((dcpu1 - dcpu0) * 1000) / APPS).toFixed(1)} ms` : 'n/a'],
    ['machine load average (1 min) at start', `${load.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs`],
    ['peer: KubeVela 2021 (kubemark, 2 workers)', '≈2 apps/s created (3,000 apps in 25 min); reconcile avg < 200 ms'],
    ['peer: Flux v2.6 MTTP (kind)', '≈3.9 Kustomizations/s (1,000 in 4m16s)'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`bench:deploy against the API double at ${url}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
