// Errors of the model and render parts. Codes are `OAM_<AREA>_<WHAT>`; details always name where
// the problem is: the document, the component, the trait and the field path inside the document.
import { InputError, PlatformError, type ErrorDetails } from '@sreworks/kernel';

export interface OamErrorWhere extends ErrorDetails {
  document?: string;
  component?: string;
  trait?: string;
  step?: string;
  definition?: string;
}

/** 400: the application, a definition or a plugin is wrong; `details.field` names the path. */
export function oamInput(code: string, message: string, where: OamErrorWhere = {}, cause?: unknown): InputError {
  return new InputError(message, clean(where), code, cause);
}

/** 422: user code (a definition template) misbehaved while rendering. */
export function oamTemplate(code: string, message: string, where: OamErrorWhere = {}, cause?: unknown): PlatformError {
  return new PlatformError(code, 422, message, clean(where), cause);
}

function clean(where: OamErrorWhere): OamErrorWhere {
  const out: OamErrorWhere = {};
  for (const [k, v] of Object.entries(where)) if (v !== undefined) out[k] = v;
  return out;
}

/** Every code this part throws, for docs/errors.md. */
export const OAM_RENDER_ERROR_CODES = {
  OAM_PARSE_YAML: 'the document is not valid YAML',
  OAM_PARSE_KIND: 'the document is not an Application or ApplicationConfiguration',
  OAM_PARSE_FIELD: 'a field of the application has the wrong shape',
  OAM_PARSE_REVISION_NAME: 'a SREWorks revisionName is not TYPE|NAME|VERSION',
  OAM_PARSE_DUPLICATE: 'two components, traits or steps share a name',
  OAM_DEF_FIELD: 'a definition document has the wrong shape',
  OAM_DEF_SCHEMA: 'a definition parameter schema is not a valid JSON Schema',
  OAM_DEF_TEMPLATE: 'a definition template does not compile or does not export render',
  OAM_DEF_VERSION: 'a definition version is not semver or already exists',
  OAM_DEF_NOT_FOUND: 'no definition of that kind, name and version',
  OAM_DEF_DISABLED: 'the definition is disabled',
  OAM_PLUGIN_ARCHIVE: 'the plugin archive cannot be read',
  OAM_RENDER_PARAMETER: 'properties break the definition parameter schema',
  OAM_RENDER_TEMPLATE: 'a definition template threw, timed out or ran out of memory',
  OAM_RENDER_OUTPUT: 'a template returned something that is not a Kubernetes object',
  OAM_RENDER_TRAIT_NOT_APPLICABLE: 'the trait does not apply to the component workload',
  OAM_RENDER_TRAIT_CONFLICT: 'two traits conflict',
  OAM_RENDER_PATCH: 'a trait patch cannot be applied',
  OAM_RENDER_OBJECT_INVALID: 'a rendered object fails the Kubernetes OpenAPI schema',
  OAM_RENDER_JINJA: 'a Jinja expression cannot be rendered',
  OAM_RENDER_INPUT: 'an input refers to an output nobody produces',
  OAM_RENDER_POLICY: 'a policy is unknown or has bad properties',
  OAM_RENDER_ENV: 'the environment named is not in the application',
  OAM_PLAN_CYCLE: 'the dependencies form a cycle',
  OAM_PLAN_UNKNOWN_REF: 'a dependency or input names an unknown component or step',
} as const;
