// Definitions as files: a directory of YAML documents whose templates sit beside them as `.js`
// files (`schematic.javascript.file`). The built-ins under packages/oam/definitions/ load this way
// at start; `sreworks render -d DIR` loads a user directory the same way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { oamInput } from '../errors.js';
import { InMemoryDefinitionRegistry } from './registry.js';
import { definitionFromDocument, type Definition } from './types.js';

const DEF_KINDS = new Set(['ComponentDefinition', 'TraitDefinition', 'PolicyDefinition', 'WorkflowStepDefinition']);

/** Decode every definition in one YAML text; `readFile` resolves template files relative to it. */
export function definitionsFromYaml(text: string, opts: { document: string; source: string; readFile?: (path: string) => string | undefined }): Definition[] {
  const out: Definition[] = [];
  for (const [i, d] of parseAllDocuments(text).entries()) {
    if (d.errors.length) throw oamInput('OAM_DEF_FIELD', `${opts.document}: YAML error: ${d.errors[0].message.split('\n')[0]}`, { document: opts.document });
    const v = d.toJS();
    if (!v || typeof v !== 'object') continue;
    if (!DEF_KINDS.has(v.kind)) continue;
    out.push(definitionFromDocument(v, { ...opts, document: i ? `${opts.document}#${i + 1}` : opts.document }));
  }
  return out;
}

/** Read every `*.yaml`/`*.yml` definition under a directory (recursively). */
export function loadDefinitionsDir(dir: string, source = 'file'): Definition[] {
  const root = resolve(dir);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) files.push(p);
    }
  };
  walk(root);
  return files.flatMap((f) =>
    definitionsFromYaml(readFileSync(f, 'utf8'), {
      document: relative(process.cwd(), f) || f,
      source: source === 'file' ? f : source,
      readFile: (p) => {
        const target = resolve(dirname(f), p);
        if (!target.startsWith(root + sep)) return undefined; // stay inside the directory
        try {
          return readFileSync(target, 'utf8');
        } catch {
          return undefined;
        }
      },
    }),
  );
}

/** Where the built-in definitions live (packages/oam/definitions). */
export const BUILTIN_DEFINITIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../definitions');

let builtins: Definition[] | undefined;
/** The built-in definitions (read once per process; each registry gets its own copies). */
export function builtinDefinitions(): Definition[] {
  builtins ??= loadDefinitionsDir(BUILTIN_DEFINITIONS_DIR, 'builtin');
  return builtins.map((d) => ({ ...d, forms: { ...d.forms } }));
}

/** A registry holding the built-ins, plus any extra definitions (e.g. `-d DIR`), later ones upgrading. */
export function createBuiltinRegistry(extra: Definition[] = []): InMemoryDefinitionRegistry {
  const r = new InMemoryDefinitionRegistry();
  for (const d of builtinDefinitions()) r.putSync(d);
  for (const d of extra) r.putSync(d, { replace: true });
  return r;
}
