export * from './types.js';
export { KubernetesTarget, inventoryName, labelSafe, LABEL_APP, LABEL_ENV, LABEL_COMPONENT, ANNOTATION_SHARED, ANNOTATION_SHARED_BY, type KubernetesTargetOptions } from './kubernetes.js';
export { KubeClient, type KubeClientOptions, type Live } from './kube-client.js';
export { liveHealth, hasBuiltinHealth } from './health.js';
export { unifiedDiff, normalizeForDiff } from './diff.js';
export { refOf, refKey } from './refs.js';
export { WaitTimeoutError, DegradedError, WaitAbortedError, TargetUnavailableError, refText } from './errors.js';
export { GitOpsTarget, type GitOpsTargetOptions } from './gitops.js';
export { DryRunTarget } from './dryrun.js';
