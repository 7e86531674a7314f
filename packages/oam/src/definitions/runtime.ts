// Compiled definitions: the parameter validator (ajv) and the sandbox module of each
// definition version, compiled once and called many times. Keyed by kind/name/version plus a
// hash of the source, so replacing a version's template recompiles it.
import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SandboxError, type SandboxHost, type SandboxLimits, type SandboxModule } from '@sreworks/sandbox';
import { oamInput, oamTemplate, type OamErrorWhere } from '../errors.js';
import type { Definition } from './types.js';

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is the function.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export interface CompiledDefinition {
  def: Definition;
  /** validates and fills defaults in place; throws OAM_RENDER_PARAMETER naming the field. */
  validate(properties: Record<string, unknown>, where: OamErrorWhere & { base: string }): void;
  /** the template module (components and traits; policies with a template). */
  module?: SandboxModule;
  /** health module, compiled on first use. */
  health(): SandboxModule | undefined;
}

export interface DefinitionRuntimeOptions {
  sandbox: SandboxHost;
  /** limits of one render call (default 200 ms, 32 MiB). */
  limits?: SandboxLimits;
}

export class DefinitionRuntime {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, CompiledDefinition>();
  readonly sandbox: SandboxHost;
  readonly limits: SandboxLimits;

  constructor(opts: DefinitionRuntimeOptions) {
    this.sandbox = opts.sandbox;
    this.limits = { timeoutMs: 200, memoryBytes: 32 * 1024 * 1024, ...opts.limits };
    this.ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false, coerceTypes: false });
    addFormats(this.ajv);
  }

  /** Check a definition compiles (schema and template) without keeping it: used on import. */
  check(def: Definition): void {
    this.compile(def); // throws OAM_DEF_SCHEMA / OAM_DEF_TEMPLATE
  }

  compile(def: Definition): CompiledDefinition {
    const key = `${def.kind}/${def.name}@${def.version}#${hash(def)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const where = { definition: `${def.name}@${def.version}`, kind: def.kind };
    let validateFn: ValidateFunction;
    try {
      validateFn = this.ajv.compile(def.parameter);
    } catch (e) {
      throw oamInput('OAM_DEF_SCHEMA', `definition ${def.name}@${def.version}: the parameter schema is invalid: ${(e as Error).message}`, { ...where, field: 'spec.schematic.javascript.parameter' });
    }
    let module: SandboxModule | undefined;
    if (def.template) {
      try {
        module = this.sandbox.compileModule(def.template, { filename: `${def.name}@${def.version}.js`, limits: this.limits });
      } catch (e) {
        throw oamInput('OAM_DEF_TEMPLATE', `definition ${def.name}@${def.version}: the template does not load: ${(e as Error).message}`, { ...where, field: 'spec.schematic.javascript.template' }, e);
      }
      if (!module.exportNames.includes('render')) {
        module.dispose();
        throw oamInput('OAM_DEF_TEMPLATE', `definition ${def.name}@${def.version}: the template must export a function render({parameter, context})`, {
          ...where,
          field: 'spec.schematic.javascript.template',
        });
      }
    }
    let healthModule: SandboxModule | undefined | null = null;
    const compiled: CompiledDefinition = {
      def,
      module,
      validate: (properties, at) => {
        if (validateFn(properties)) return;
        const errors = (validateFn.errors ?? []).slice(0, 5).map((e) => ({ field: fieldOf(at.base, e), message: e.message ?? 'is invalid', ...(e.keyword === 'enum' ? { allowed: (e.params as any).allowedValues } : {}) }));
        const first = errors[0];
        const { base: _b, ...rest } = at;
        throw oamInput(
          'OAM_RENDER_PARAMETER',
          `${rest.document ?? 'application'}: ${first.field}: ${first.message}${first.allowed ? ` (${first.allowed.join(', ')})` : ''} (${def.kind} ${def.name}@${def.version})`,
          { ...rest, field: first.field, definition: `${def.name}@${def.version}`, errors },
        );
      },
      health: () => {
        if (healthModule !== null) return healthModule;
        healthModule = def.status && (def.status.healthPolicy || def.status.customStatus || def.status.details) ? this.compileHealth(def) : undefined;
        return healthModule;
      },
    };
    this.cache.set(key, compiled);
    return compiled;
  }

  private compileHealth(def: Definition): SandboxModule {
    const s = def.status!;
    const details = Object.entries(s.details ?? {})
      .map(([k, v]) => `${JSON.stringify(k)}: safe(() => (${v}\n))`)
      .join(', ');
    // One module per definition: the expressions become functions of (context, parameter).
    const code = `
function safe(f) { try { const v = f(); return v === undefined || v === null ? '' : String(v); } catch (e) { return ''; } }
export function health(context, parameter) {
  const isHealth = ${s.healthPolicy ? `(${s.healthPolicy}\n)` : 'true'};
  let message = '';
  ${s.customStatus ? `message = (${s.customStatus}\n);` : ''}
  return { isHealth: isHealth === true, message: message === undefined || message === null ? '' : String(message), details: { ${details} } };
}`;
    try {
      return this.sandbox.compileModule(code, { filename: `${def.name}@${def.version}.status.js`, limits: { timeoutMs: 50, memoryBytes: 16 * 1024 * 1024 } });
    } catch (e) {
      throw oamInput('OAM_DEF_TEMPLATE', `definition ${def.name}@${def.version}: status.healthPolicy/customStatus do not compile: ${(e as Error).message}`, {
        definition: `${def.name}@${def.version}`,
        field: 'spec.status',
      });
    }
  }

  /** Call `render` of a compiled definition; sandbox failures become OAM_RENDER_TEMPLATE. */
  render(c: CompiledDefinition, arg: unknown, where: OamErrorWhere): Record<string, unknown> {
    if (!c.module) throw oamTemplate('OAM_RENDER_TEMPLATE', `definition ${c.def.name}@${c.def.version} has no template`, where);
    let out: unknown;
    try {
      out = c.module.call('render', arg);
    } catch (e) {
      const kind = e instanceof SandboxError ? e.kind : 'thrown';
      const msg = e instanceof Error ? e.message : String(e);
      throw oamTemplate('OAM_RENDER_TEMPLATE', `${describe(where)}: ${c.def.kind} ${c.def.name}@${c.def.version} failed (${kind}): ${msg}`, { ...where, definition: `${c.def.name}@${c.def.version}`, sandbox: kind }, e);
    }
    if (out === null || typeof out !== 'object' || Array.isArray(out))
      throw oamTemplate('OAM_RENDER_OUTPUT', `${describe(where)}: ${c.def.name}@${c.def.version} render() must return an object like {output, outputs}`, {
        ...where,
        definition: `${c.def.name}@${c.def.version}`,
      });
    return out as Record<string, unknown>;
  }

  /** Release every sandbox runtime (tests, shutdown). */
  dispose(): void {
    for (const c of this.cache.values()) {
      c.module?.dispose();
      c.health()?.dispose();
    }
    this.cache.clear();
  }
}

export function describe(where: OamErrorWhere): string {
  return [where.document, where.component && `component ${where.component}`, where.trait && `trait ${where.trait}`, where.field].filter(Boolean).join(': ');
}

function fieldOf(base: string, e: ErrorObject): string {
  let path = base;
  for (const seg of e.instancePath.split('/').slice(1)) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `["${s}"]`;
  }
  if (e.keyword === 'required') path += `.${(e.params as any).missingProperty}`;
  if (e.keyword === 'additionalProperties') path += `.${(e.params as any).additionalProperty}`;
  return path;
}

const hashes = new WeakMap<Definition, string>();
function hash(def: Definition): string {
  const hit = hashes.get(def);
  if (hit) return hit;
  const h = createHash('sha1')
    .update(def.template ?? '')
    .update(JSON.stringify(def.parameter))
    .update(JSON.stringify(def.status ?? {}))
    .digest('hex')
    .slice(0, 12);
  hashes.set(def, h);
  return h;
}
