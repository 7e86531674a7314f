// The build spec a component may carry: where the source is, how to build it, where to push.

import { InputError } from '@sreworks/kernel';
import { z } from 'zod';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** registry/path:tag (tag optional) – the shape `docker push` accepts; no digest. */
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?$/;

export const BuildSpecSchema = z.strictObject({
  /** Build name (DNS label), usually the component name. */
  name: z.string().max(40).regex(DNS_LABEL, 'must be a lowercase DNS label of at most 40 characters'),
  git: z.strictObject({
    /** https://, http:// or git:// URL of the repository. */
    url: z.string().regex(/^(https?|git):\/\/[^\s#]+$/, 'must be an http(s):// or git:// URL without a fragment'),
    /** Branch, tag (tags/v1) or full ref (refs/heads/x). */
    ref: z.string().min(1).regex(/^[^\s#]+$/, 'must not contain spaces or #').default('main'),
    /** Exact commit to build (40 hex). */
    commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-character hex commit id').optional(),
    /** Name of the sealed secret holding {username, password} for the repository. */
    credentialsSecret: z.string().min(1).optional(),
  }),
  /** Dockerfile path relative to the context. */
  dockerfile: z.string().min(1).default('Dockerfile'),
  /** Build context: a directory inside the repository. */
  context: z
    .string()
    .default('.')
    .refine((p) => !p.split('/').includes('..') && !p.startsWith('/'), 'must be a relative path inside the repository'),
  /** Target image, e.g. registry.example.com/team/app:1.2.3. */
  image: z.string().regex(IMAGE, 'must be an image reference like registry/name:tag'),
  buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build arg names are identifiers'), z.string()).default({}),
  /** Name of the sealed secret holding registry credentials ({dockerconfigjson} or {registry, username, password}). */
  pushSecret: z.string().min(1).optional(),
  /** Namespace on the build cluster (default: the runner's). */
  namespace: z.string().regex(DNS_LABEL).optional(),
  timeoutSeconds: z.number().int().min(30).max(86_400).default(3600),
  kanikoImage: z.string().default('gcr.io/kaniko-project/executor:v1.23.2'),
  cacheRepo: z.string().regex(IMAGE).optional(),
  insecureRegistry: z.boolean().default(false),
  resources: z.strictObject({ cpu: z.string().optional(), memory: z.string().optional() }).optional(),
});

export type BuildSpecInput = z.input<typeof BuildSpecSchema>;
export type BuildSpec = z.output<typeof BuildSpecSchema>;

/** Validate a build spec; the error names the field path. */
export function parseBuildSpec(input: unknown, path = 'build'): BuildSpec {
  const r = BuildSpecSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ field: [path, ...i.path.map(String)].join('.'), message: i.message }));
  throw new InputError(`invalid build spec: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues.length === 1 ? issues[0] : issues, 'OAM_BUILD_SPEC');
}
