// @sreworks/kube-api-double: a Kubernetes API server test double speaking the REST protocol.
export { KubeApiDouble, startKubeApiDouble, registerCommonCrds, type KubeApiDoubleOptions, type ObjectRefLike } from './double.js';
export { kanikoBehaviour, type ControllerOptions, type JobBehaviour, type JobOutcome } from './controller.js';
export type { KubeStatus, StatusCause } from './status.js';
export type { ResourceType } from './resources.js';
export { mergePatch, strategicMergePatch, jsonPatch } from './patch.js';
export { parseLabelSelector, parseFieldSelector } from './selectors.js';
