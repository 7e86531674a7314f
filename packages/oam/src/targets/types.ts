// The delivery-target contract: what the execution engine calls to put rendered objects
// somewhere (a cluster, a git repository, nowhere) and to learn whether they are healthy.

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface ApplyScope {
  app: string;
  env: string;
  /** Default namespace for namespaced objects that name none; also holds the inventory. */
  namespace: string;
  cluster: string;
  revision: string;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type HealthPhase = 'progressing' | 'healthy' | 'degraded' | 'missing' | 'unknown';

export interface ObjectStatus {
  ref: ObjectRef;
  component?: string;
  healthy: boolean;
  phase: HealthPhase;
  message: string;
}

/**
 * Caller-supplied health (a definition's `healthPolicy`, possibly evaluated in the sandbox, hence
 * async allowed). Returning undefined falls back to the built-in rule for the kind. A throw or a
 * rejection becomes phase "unknown" with the error as message.
 */
export type CustomHealth = (obj: K8sObject, live: Record<string, unknown>) => ObjectStatus | undefined | Promise<ObjectStatus | undefined>;

export interface WaitOptions {
  /** Required in spirit: every wait ends; defaults to 5 minutes. */
  timeoutMs?: number;
  /** Poll interval (also the fallback when a watch drops); default 2000 ms. */
  pollMs?: number;
  signal?: AbortSignal;
  custom?: CustomHealth;
  /** Reject as soon as an object is degraded (default true). */
  failOnDegraded?: boolean;
}

export interface GcOptions {
  includePVC?: boolean;
  includeShared?: boolean;
  /** Namespaces are retained like PVCs (deleting one deletes its claims) unless asked. */
  includeNamespaces?: boolean;
}

export interface GcPlan {
  delete: ObjectRef[];
  retain: Array<{ ref: ObjectRef; reason: string }>;
  /** Inventory entries whose object is already gone. */
  gone: ObjectRef[];
}

export interface LiveDiff {
  ref: ObjectRef;
  change: 'create' | 'update' | 'none';
  diff: string;
}

export interface TargetCapabilities {
  /** False when health cannot be observed (GitOps without a cluster observer, dry-run). */
  observesHealth: boolean;
  kind: 'kubernetes' | 'gitops' | 'dry-run';
}

export interface Target {
  readonly capabilities: TargetCapabilities;
  /** Server-side apply (field manager "sreworks"); records the objects in the inventory first. */
  apply(objects: K8sObject[], scope: ApplyScope, opts?: { dryRun?: boolean }): Promise<ObjectStatus[]>;
  health(objects: K8sObject[], scope: ApplyScope, custom?: CustomHealth): Promise<ObjectStatus[]>;
  /** Resolves when all are healthy; rejects on timeout (saying what it waited for), degradation or abort. */
  waitHealthy(objects: K8sObject[], scope: ApplyScope, opts?: WaitOptions): Promise<ObjectStatus[]>;
  inventory(scope: ApplyScope): Promise<ObjectRef[]>;
  /** What gc would do, without doing it. */
  gcPlan(scope: ApplyScope, keep: ObjectRef[], opts?: GcOptions): Promise<GcPlan>;
  /** Deletes inventory objects not in keep; never PVCs or shared objects unless asked. Returns what it deleted. */
  gc(scope: ApplyScope, keep: ObjectRef[], opts?: GcOptions): Promise<ObjectRef[]>;
  liveDiff(objects: K8sObject[], scope: ApplyScope): Promise<LiveDiff[]>;
}
