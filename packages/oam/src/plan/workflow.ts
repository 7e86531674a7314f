// Typed description of the workflow steps for the executor: each step's definition (type,
// version, semantics) with its properties checked against the step's parameter schema. Step
// execution itself comes later; this makes a bad step fail before anything is deployed.
import type { AppModel, StepModel } from '../model/model.js';
import type { DefinitionRegistry } from '../definitions/registry.js';
import type { DefinitionRuntime } from '../definitions/runtime.js';
import type { StepSemantics } from '../definitions/types.js';
import { oamInput } from '../errors.js';

export interface StepDescription {
  name: string;
  type: string;
  definition: { name: string; version: string };
  semantics: StepSemantics;
  /** validated properties with schema defaults filled in. */
  properties: Record<string, unknown>;
  dependsOn: string[];
  if?: string;
  timeout?: string;
  subSteps: StepDescription[];
  path: string;
}

export async function describeWorkflow(app: AppModel, registry: DefinitionRegistry, runtime: DefinitionRuntime): Promise<StepDescription[]> {
  const describeStep = async (s: StepModel): Promise<StepDescription> => {
    const where = { document: app.document, step: s.name, field: `${s.path}.type` };
    let def;
    try {
      def = await registry.resolve('workflow-step', s.type);
    } catch (e: any) {
      throw oamInput(e?.code === 'OAM_DEF_DISABLED' ? 'OAM_DEF_DISABLED' : 'OAM_DEF_NOT_FOUND', `${app.document}: ${s.path}.type: ${e?.message ?? e}`, where, e);
    }
    const properties = structuredClone(s.properties);
    runtime.compile(def).validate(properties, { document: app.document, step: s.name, base: `${s.path}.properties` });
    if (s.subSteps.length && !def.step?.subSteps)
      throw oamInput('OAM_PARSE_FIELD', `${app.document}: ${s.path}.subSteps: step type ${s.type} takes no sub-steps (use step-group)`, { ...where, field: `${s.path}.subSteps` });
    return {
      name: s.name,
      type: s.type,
      definition: { name: def.name, version: def.version },
      semantics: def.step ?? { summary: def.description, waits: false, applies: false, subSteps: false },
      properties,
      dependsOn: s.dependsOn,
      ...(s.if ? { if: s.if } : {}),
      ...(s.timeout ? { timeout: s.timeout } : {}),
      subSteps: await Promise.all(s.subSteps.map(describeStep)),
      path: s.path,
    };
  };
  return Promise.all((app.workflow?.steps ?? []).map(describeStep));
}
