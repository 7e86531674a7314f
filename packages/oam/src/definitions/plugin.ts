// Plugins: a `.tgz` of definitions (YAML, templates as `.js` beside them) plus console form JSON
// (`forms/<definition>/<form>.json`). SREWorks plugins (`definition.yaml` with Groovy handlers
// and `frontend` JSON forms) import as far as they map: Groovy cannot run here, so a SREWorks
// definition maps onto the built-in template with the same semantics, and everything that does
// not map (build/destroy handlers, per-cluster resources…) is listed in the report.
import { posix } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { parse as parseYaml } from 'yaml';
import { ConflictError } from '@sreworks/kernel';
import { oamInput } from '../errors.js';
import type { DefinitionRegistry, DefinitionChange } from './registry.js';
import type { DefinitionRuntime } from './runtime.js';
import { definitionsFromYaml } from './loader.js';
import { DEFINITION_KINDS, type Definition, type DefinitionKind } from './types.js';

export interface PluginImportReport {
  plugin: string;
  imported: { kind: DefinitionKind; name: string; version: string; from?: string; change?: DefinitionChange }[];
  forms: { definition: string; form: string }[];
  unmapped: { item: string; reason: string }[];
}

const MAX_BYTES = 20 * 1024 * 1024;
const MAX_ENTRIES = 2000;

/** Read a .tgz (or .tar) into path → bytes, refusing oversized archives. */
export async function readArchive(data: Uint8Array): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  let total = 0;
  let failure: Error | undefined;
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      if (entry.type !== 'File' || files.size >= MAX_ENTRIES) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => {
        total += c.length;
        if (total > MAX_BYTES) failure ??= new Error(`the archive holds more than ${MAX_BYTES} bytes`);
        else chunks.push(c);
      });
      entry.on('end', () => {
        const p = posix.normalize(entry.path).replace(/^(\.\/)+/, '');
        if (!p.startsWith('..') && !posix.isAbsolute(p)) files.set(p, Buffer.concat(chunks));
      });
    });
    parser.on('error', (e: Error) => reject(e));
    parser.on('warn', (_code: string, msg: string | Error) => (failure ??= msg instanceof Error ? msg : new Error(String(msg))));
    parser.on('end', () => resolve());
    parser.on('close', () => resolve());
    parser.end(Buffer.from(data));
  }).catch((e) => {
    throw oamInput('OAM_PLUGIN_ARCHIVE', `the plugin archive cannot be read: ${(e as Error).message}`, { field: 'file' });
  });
  if (failure) throw oamInput('OAM_PLUGIN_ARCHIVE', `the plugin archive cannot be read: ${failure.message}`, { field: 'file' });
  if (files.size === 0) throw oamInput('OAM_PLUGIN_ARCHIVE', 'the plugin archive holds no files', { field: 'file' });
  return files;
}

export interface ImportOptions {
  /** compile each definition before it is registered (recommended). */
  runtime?: DefinitionRuntime;
  /** overwrite versions that exist. */
  replace?: boolean;
  /** a name for the report (e.g. the file name). */
  name?: string;
}

/** Import a plugin archive into a registry. */
export async function importPlugin(archive: Uint8Array, registry: DefinitionRegistry, opts: ImportOptions = {}): Promise<PluginImportReport> {
  const files = await readArchive(archive);
  const text = (p: string) => files.get(p)?.toString('utf8');
  const report: PluginImportReport = { plugin: opts.name ?? 'plugin', imported: [], forms: [], unmapped: [] };
  const defs: Definition[] = [];
  for (const [path, buf] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/\.ya?ml$/.test(path)) continue;
    const body = buf.toString('utf8');
    const doc = safeYaml(body);
    if (doc?.spec?.schematic?.groovy) {
      const r = await mapSreworksDefinition(doc, registry, path, (p) => text(posix.join(posix.dirname(path), p)));
      defs.push(...r.definitions);
      report.unmapped.push(...r.unmapped);
      continue;
    }
    if (!doc || !(doc.kind in DEFINITION_KINDS)) {
      if (posix.basename(path) !== 'plugin.yaml') report.unmapped.push({ item: path, reason: 'not a definition document' });
      continue;
    }
    defs.push(...definitionsFromYaml(body, { document: path, source: `plugin:${report.plugin}`, readFile: (p) => text(posix.normalize(posix.join(posix.dirname(path), p))) }));
  }
  // Console forms: forms/<definition>/<form>.json
  for (const [path, buf] of files) {
    const m = /^forms\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const def = defs.find((d) => d.name === m[1]);
    if (!def) {
      report.unmapped.push({ item: path, reason: `no definition named ${m[1]} in the plugin` });
      continue;
    }
    try {
      def.forms[m[2]] = JSON.parse(buf.toString('utf8'));
      report.forms.push({ definition: def.name, form: m[2] });
    } catch (e) {
      throw oamInput('OAM_PLUGIN_ARCHIVE', `${path}: not JSON: ${(e as Error).message}`, { field: path });
    }
  }
  if (defs.length === 0 && report.unmapped.length === 0) throw oamInput('OAM_PLUGIN_ARCHIVE', 'the plugin archive holds no definitions', { field: 'file' });
  await putAll(defs, registry, opts, report);
  return report;
}

/** All or nothing: every definition compiles and none clashes before the first is registered. */
async function putAll(defs: Definition[], registry: DefinitionRegistry, opts: ImportOptions, report: PluginImportReport): Promise<void> {
  for (const d of defs) {
    opts.runtime?.check(d);
    if (!opts.replace && (await registry.versions(d.kind, d.name)).some((x) => x.version === d.version))
      throw new ConflictError(`${d.kind} definition ${d.name}@${d.version} exists; bump the plugin version or import with replace`, 'OAM_DEF_VERSION', { definition: `${d.name}@${d.version}` });
  }
  for (const d of defs) {
    const change = await registry.put(d, { replace: opts.replace });
    report.imported.push({ kind: d.kind, name: d.name, version: d.version, change, ...(d.annotations['sreworks.io/mapped-from'] ? { from: d.annotations['sreworks.io/mapped-from'] } : {}) });
    for (const f of Object.keys(d.forms)) if (!report.forms.some((x) => x.definition === d.name && x.form === f)) report.forms.push({ definition: d.name, form: f });
  }
}

/** Import one SREWorks plugin `definition.yaml` (as the fixtures hold them, without the archive). */
export async function importSreworksPluginDefinition(
  yamlText: string,
  registry: DefinitionRegistry,
  opts: ImportOptions & { readFile?: (path: string) => string | undefined } = {},
): Promise<PluginImportReport> {
  const doc = safeYaml(yamlText);
  if (!doc?.spec?.schematic?.groovy) throw oamInput('OAM_DEF_FIELD', `${opts.name ?? 'definition.yaml'}: not a SREWorks plugin definition (spec.schematic.groovy)`, { field: 'spec.schematic' });
  const r = await mapSreworksDefinition(doc, registry, opts.name ?? 'definition.yaml', opts.readFile ?? (() => undefined));
  const report: PluginImportReport = { plugin: opts.name ?? doc.metadata?.name ?? 'plugin', imported: [], forms: [], unmapped: r.unmapped };
  await putAll(r.definitions, registry, opts, report);
  return report;
}

/** SREWorks plugin short name → [our definition name, the built-in whose template it uses]. */
const SREWORKS_PLUGIN_MAP: Record<string, [string, string]> = {
  microservice: ['microservice', 'microservice'],
  helm: ['abm-helm', 'abm-helm'], // KubeVela's `helm` (Flux) keeps its name and semantics
  job: ['job', 'job'],
  service: ['service', 'service'],
  ingress: ['ingress', 'gateway'],
  nodeport: ['nodeport', 'expose'],
  gateway: ['sreworks-gateway', 'sreworks-gateway'],
};
const GROOVY_KINDS: Record<string, string | null> = {
  COMPONENT: null,
  COMPONENT_DEPLOY: null,
  TRAIT: null,
  COMPONENT_WATCH_KUBERNETES_INFORMER: null,
  COMPONENT_WATCH_CRON: null,
  COMPONENT_BUILD: 'builds are run by the build module (kaniko Job per image), not by definitions',
  COMPONENT_DESTROY: 'deletion is done by the garbage collector from the inventory, not by a handler',
  CUSTOM_STATUS: 'status comes from status.healthPolicy/customStatus expressions; the Groovy handler is not run',
  POLICY: 'policies are interpreted by the engine (topology, override…); the Groovy handler is not run',
  WORKFLOW: 'workflow steps are interpreted by the executor; the Groovy handler is not run',
};

async function mapSreworksDefinition(
  doc: any,
  registry: DefinitionRegistry,
  where: string,
  readFile: (p: string) => string | undefined,
): Promise<{ definitions: Definition[]; unmapped: PluginImportReport['unmapped'] }> {
  const unmapped: PluginImportReport['unmapped'] = [];
  const fullName = String(doc?.metadata?.name ?? '');
  const short = fullName.split('.')[0];
  const kind = DEFINITION_KINDS[doc?.kind as keyof typeof DEFINITION_KINDS];
  const ann: Record<string, string> = doc?.metadata?.annotations ?? {};
  const version = String(ann['definition.oam.dev/version'] ?? '1.0.0');
  if (!kind) return { definitions: [], unmapped: [{ item: `${where}: ${fullName}`, reason: `kind ${doc?.kind} has no counterpart` }] };
  const map = SREWORKS_PLUGIN_MAP[short];
  const files: any[] = doc.spec.schematic.groovy.files ?? [];
  if (!map) {
    return {
      definitions: [],
      unmapped: [{ item: `${where}: ${fullName}`, reason: `no built-in implements "${short}", and its Groovy handlers (${files.map((f) => f.kind).join(', ')}) cannot run here` }],
    };
  }
  const [name, from] = map;
  const base = await registry.get(kind, from);
  if (!base?.template) return { definitions: [], unmapped: [{ item: `${where}: ${fullName}`, reason: `built-in ${kind} ${from} is not registered` }] };
  for (const f of files) {
    const reason = GROOVY_KINDS[f.kind];
    if (reason === undefined) unmapped.push({ item: `${where}: groovy ${f.kind} ${f.path}`, reason: 'unknown handler kind' });
    else if (reason !== null) unmapped.push({ item: `${where}: groovy ${f.kind} ${f.path}`, reason });
  }
  const traitFile = files.find((f) => f.kind === 'TRAIT');
  const runtime = traitFile?.properties?.runtime;
  const schema = traitFile?.properties?.definitionSchema?.jsonSchema;
  const forms: Record<string, unknown> = {};
  for (const f of doc.spec.schematic.frontend?.files ?? []) {
    const body = readFile(f.path);
    if (body === undefined) {
      unmapped.push({ item: `${where}: frontend ${f.kind} ${f.path}`, reason: 'the form file is not in the plugin' });
      continue;
    }
    try {
      forms[String(f.kind).toLowerCase()] = JSON.parse(body);
    } catch {
      unmapped.push({ item: `${where}: frontend ${f.kind} ${f.path}`, reason: 'not JSON' });
    }
  }
  for (const f of doc.spec.schematic.resources?.files ?? [])
    unmapped.push({ item: `${where}: resource ${f.path}`, reason: 'per-cluster plugin resources are installed by the delivery targets, not imported as definitions' });
  if (doc.spec.schematic.dataInterfaces) unmapped.push({ item: `${where}: schematic.dataInterfaces`, reason: 'informal block; inputs/outputs are declared per application' });
  const labels: Record<string, string> = {};
  for (const kv of String(ann['definition.oam.dev/tags'] ?? '').split(',')) {
    const [k, v] = kv.split('=');
    if (k && v !== undefined) labels[k.trim()] = v.trim();
  }
  const appliesToWorkloads = (doc.spec.appliesToWorkloads ?? []).map((w: string) => SREWORKS_PLUGIN_MAP[String(w).split('.')[0]]?.[0] ?? String(w));
  const def: Definition = {
    ...base,
    name,
    version,
    description: String(ann['definition.oam.dev/description'] ?? base.description),
    labels,
    annotations: { ...ann, 'sreworks.io/mapped-from': fullName, 'sreworks.io/template-from': `${from}@${base.version}` },
    appliesToWorkloads: kind === 'trait' ? appliesToWorkloads : base.appliesToWorkloads,
    stage: runtime === 'post' ? 'post' : runtime === 'pre' ? 'pre' : base.stage,
    parameter: schema && typeof schema === 'object' && Object.keys(schema).length ? schema : base.parameter,
    forms,
    disabled: false,
    source: `sreworks-plugin:${fullName}`,
  };
  if (doc.spec.workload?.definition && base.workload && (doc.spec.workload.definition.kind !== base.workload.kind || doc.spec.workload.definition.apiVersion !== base.workload.apiVersion))
    unmapped.push({
      item: `${where}: spec.workload ${doc.spec.workload.definition.apiVersion}/${doc.spec.workload.definition.kind}`,
      reason: `the Groovy deploy handler decided the real objects; the mapped template renders ${base.workload.apiVersion ?? 'its own'}/${base.workload.kind ?? 'objects'}`,
    });
  return { definitions: [def], unmapped };
}

function safeYaml(text: string): any {
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}
