// @sreworks/oam public entry.

// model and render
export * from './model/model.js';
export { OAM_RENDER_ERROR_CODES, oamInput, oamTemplate, type OamErrorWhere } from './errors.js';
export { parseApplication, parseApplicationObject, type ParseOptions } from './parse/parse.js';
export { parseRevisionName, SREWORKS_COMPONENT_TYPES, SREWORKS_TRAITS, type RevisionName } from './parse/sreworks.js';
export { quoteJinjaScalars } from './parse/common.js';
export {
  definitionFromDocument,
  workloadType,
  DEFINITION_KINDS,
  KIND_NAMES,
  type Definition,
  type DefinitionKind,
  type DefinitionStatus,
  type StepSemantics,
} from './definitions/types.js';
export { InMemoryDefinitionRegistry, pickVersion, type DefinitionRegistry, type DefinitionChange, type DefinitionRef } from './definitions/registry.js';
export { DefinitionRuntime, type CompiledDefinition } from './definitions/runtime.js';
export { loadDefinitionsDir, definitionsFromYaml, builtinDefinitions, createBuiltinRegistry, BUILTIN_DEFINITIONS_DIR } from './definitions/loader.js';
export { importPlugin, importSreworksPluginDefinition, type PluginImportReport } from './definitions/plugin.js';
export {
  renderApp,
  RenderEngine,
  labelValue,
  type RenderEnv,
  type RenderOptions,
  type RenderResult,
  type RenderedComponent,
  type RenderedObject,
  type RenderedPlacement,
  type HealthResult,
  type LiveState,
  type K8sObject,
} from './render/render.js';
export { strategicMerge, jsonMergePatch, jsonPatch, DEFAULT_PATCH_KEYS, type JsonPatchOp } from './render/patch.js';
export { validateObject, loadValidators } from './render/validate.js';
export { JinjaEngine } from './render/jinja.js';
export { planApp, componentNodeId, traitNodeId, stepNodeId, type Plan, type PlanNode, type PlanEdge, type PlanNodeKind, type PlanEdgeReason, type PlanOptions } from './plan/plan.js';
export { describeWorkflow, type StepDescription } from './plan/workflow.js';
export { dryRun, formatObjectsYaml, formatObjectsJson, type DryRunOptions } from './dryrun/dryrun.js';

// targets
export * from './targets/index.js';
// builds (targets part)
export * from './builds/index.js';

// execution, revisions and API
export { oamMigrations } from './store/migrations.js';
export { StoreDefinitionRegistry } from './store/definitions.js';
export { AppService, type AppRecord, type RevisionRecord, type DeploymentRecord } from './service/apps.js';
export { DeploymentExecutor, parseDuration, type ExecutorOptions } from './execute/executor.js';
export type { DeployEnv, TargetResolver, DeploymentStatus, NodeStatus, StoredObject } from './execute/types.js';
export { createOamEngine, type OamEngine, type OamEngineOptions } from './engine.js';
export { oamPermissions } from './permissions.js';
export { oamRoutes } from './routes.js';
export { BuildService, type BuildRecord, type BuildServiceOptions, type TeamSecretResolver } from './service/builds.js';
export { BuildSecretStore, normaliseBuildSecret, BUILD_SECRET_KINDS, type BuildSecretInfo, type BuildSecretKind } from './service/build-secrets.js';
