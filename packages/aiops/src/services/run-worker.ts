// A background AIOps run inside a worker thread: rebuilds the job from (kind, body), runs it and
// posts { output } or { error }. The parent records the row and enforces the timeout.
import { parentPort, workerData } from 'node:worker_threads';
import { isPlatformError } from '@sreworks/kernel';
import { jobFor } from './jobs.js';
import type { RunKind } from './runs.js';

const { kind, body } = workerData as { kind: RunKind; body: unknown };
try {
  parentPort!.postMessage({ output: jobFor(kind, body).exec() });
} catch (e) {
  // a platform error (bad parameter: 4xx naming the field) keeps its code, status and details
  const p = isPlatformError(e) ? { code: e.code, status: e.status, details: e.details } : undefined;
  parentPort!.postMessage({ error: (e as Error).message ?? String(e), platform: p });
}
