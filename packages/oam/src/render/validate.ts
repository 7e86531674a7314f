// Validate rendered objects against the Kubernetes OpenAPI schema through kubernetes-models 4.x
// (precompiled ajv validators per kind). Group/versions load on first use. Kinds without a model
// (custom resources such as Flux HelmRelease or the SREWorks Microservice) get a structural check
// and are reported as `validated: false`.
import { oamInput, type OamErrorWhere } from '../errors.js';

type ModelClass = { apiVersion: string; kind: string; new (data: unknown): { validate(): void } };

// Keyed by `apiVersion/kind`: one kind's module is small; a whole group/version is not.
const modules = new Map<string, Promise<ModelClass | undefined>>();
const loaded = new Map<string, ModelClass | undefined>();

/** The Kubernetes kinds that are not namespaced (so no namespace is stamped on them). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterIssuer',
]);

function specifier(apiVersion: string, kind: string): string | undefined {
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Load the validators of these kinds (`{apiVersion, kind}`), once per process. */
export async function loadValidators(kinds: Iterable<{ apiVersion: string; kind: string }>): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const { apiVersion, kind } of kinds) {
    const key = `${apiVersion}/${kind}`;
    if (loaded.has(key)) continue;
    let p = modules.get(key);
    if (!p) {
      const spec = specifier(apiVersion, kind);
      p = spec
        ? (import(spec) as Promise<Record<string, ModelClass>>).then((m) => Object.values(m).find((c) => typeof c === 'function' && c.kind === kind && c.apiVersion === apiVersion)).catch(() => undefined)
        : Promise.resolve(undefined);
      modules.set(key, p);
    }
    waits.push(p.then((m) => loaded.set(key, m)));
  }
  await Promise.all(waits);
}

export interface ValidationOutcome {
  validated: boolean;
}

/**
 * Validate one object; throws OAM_RENDER_OBJECT_INVALID naming the component, the trait and the
 * field inside the object. `loadValidators` must have run for its apiVersion.
 */
export function validateObject(obj: Record<string, any>, where: OamErrorWhere): ValidationOutcome {
  const kindName = `${obj.apiVersion}/${obj.kind}${obj.metadata?.name ? ` ${obj.metadata.name}` : ''}`;
  const fail = (field: string, message: string): never => {
    throw oamInput('OAM_RENDER_OBJECT_INVALID', `${prefix(where)}${kindName}: ${field ? `${field}: ` : ''}${message}`, { ...where, object: kindName, field });
  };
  if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) fail('apiVersion', 'is required');
  if (typeof obj.kind !== 'string' || !obj.kind) fail('kind', 'is required');
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || !name) fail('metadata.name', 'is required');
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) fail('metadata.name', `"${name}" is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')`);
  for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) {
    if (typeof v !== 'string') fail(`metadata.labels["${k}"]`, 'must be a string');
    else if (v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) fail(`metadata.labels["${k}"]`, `"${v}" is not a valid label value`);
  }
  const Model = loaded.get(`${obj.apiVersion}/${obj.kind}`);
  if (!Model) return { validated: false };
  try {
    new Model(obj).validate();
  } catch (e: any) {
    const first = e?.errors?.[0];
    if (first) {
      const field = String(first.instancePath ?? '')
        .split('/')
        .slice(1)
        .map((s: string) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
        .join('')
        .replace(/^\./, '');
      const extra = first.keyword === 'required' ? `.${first.params?.missingProperty}` : '';
      fail(`${field}${extra}`.replace(/^\./, ''), first.keyword === 'required' ? 'is required' : String(first.message));
    }
    fail('', String(e?.message ?? e));
  }
  return { validated: true };
}

function prefix(where: OamErrorWhere): string {
  const parts = [where.document, where.component && `component ${where.component}`, where.trait && `trait ${where.trait}`].filter(Boolean);
  return parts.length ? `${parts.join(': ')}: ` : '';
}
