// One entry for both formats: detect the document kind and hand it to its parser. A file may
// carry external KubeVela `Policy` and `Workflow` documents beside the Application (as
// `vela dry-run -f app.yaml -f policy.yaml` merges them).
import type { AppModel } from '../model/model.js';
import { AppModelSchema } from '../model/model.js';
import { oamInput } from '../errors.js';
import { isRecord, parseYamlDocuments } from './common.js';
import { parseExternalPolicy, parseExternalWorkflow, parseKubeVelaApplication } from './kubevela.js';
import { parseSreworksApplication } from './sreworks.js';

export interface ParseOptions {
  /** a name for error messages, e.g. the file name. */
  document?: string;
}

/** Parse one application object (already decoded from YAML/JSON). */
export function parseApplicationObject(doc: unknown, opts: ParseOptions = {}): AppModel {
  const document = opts.document ?? 'application';
  if (!isRecord(doc)) throw oamInput('OAM_PARSE_KIND', `${document}: expected an object with apiVersion and kind`, { document, field: '' });
  const { apiVersion, kind } = doc;
  let model: AppModel;
  if (kind === 'Application' && apiVersion === 'core.oam.dev/v1beta1') model = parseKubeVelaApplication(doc, document);
  else if (kind === 'ApplicationConfiguration' && apiVersion === 'core.oam.dev/v1alpha2') model = parseSreworksApplication(doc, document);
  else
    throw oamInput(
      'OAM_PARSE_KIND',
      `${document}: ${String(apiVersion)}/${String(kind)} is not an application; expected core.oam.dev/v1beta1 Application or core.oam.dev/v1alpha2 ApplicationConfiguration`,
      { document, field: 'kind' },
    );
  return AppModelSchema.parse(model);
}

/** Parse YAML (or JSON) text holding an application and optionally external policies/workflows. */
export function parseApplication(text: string, opts: ParseOptions = {}): AppModel {
  const document = opts.document ?? 'application';
  const docs = parseYamlDocuments(text, document);
  const apps = docs.filter((d) => isRecord(d.value) && (d.value.kind === 'Application' || d.value.kind === 'ApplicationConfiguration'));
  if (apps.length === 0) {
    const first = docs[0]?.value;
    if (first === undefined) throw oamInput('OAM_PARSE_KIND', `${document}: the document is empty`, { document });
    return parseApplicationObject(first, opts);
  }
  if (apps.length > 1) throw oamInput('OAM_PARSE_KIND', `${document}: holds ${apps.length} applications; give one per file`, { document });
  const model = parseApplicationObject(apps[0].value, opts);
  for (const d of docs) {
    const v = d.value as Record<string, any>;
    if (!isRecord(v) || d === apps[0]) continue;
    const where = `${document}#${d.index + 1}`;
    if (v.kind === 'Policy' && String(v.apiVersion).startsWith('core.oam.dev/')) {
      const p = parseExternalPolicy(v, where);
      if (!model.policies.some((x) => x.name === p.name)) model.policies.push({ ...p, path: `${where}` });
    } else if (v.kind === 'Workflow' && String(v.apiVersion).startsWith('core.oam.dev/')) {
      const w = parseExternalWorkflow(v, where);
      if (model.workflow?.ref === w.name || !model.workflow) {
        model.workflow = { mode: { steps: w.mode?.steps ?? 'StepByStep', subSteps: w.mode?.subSteps ?? 'DAG' }, steps: w.steps, ref: w.name };
      }
    } else {
      throw oamInput('OAM_PARSE_KIND', `${where}: ${String(v.apiVersion)}/${String(v.kind)} cannot be given beside an application (only Policy and Workflow)`, { document: where, field: 'kind' });
    }
  }
  return model;
}
