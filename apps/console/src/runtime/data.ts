// Loading a data source: templates, beforeRequest, the API call with a timeout, afterResponse.
// Errors say which step failed (request, HTML instead of JSON, function threw or looped).
import { collectTemplateVars, renderText, resolveTemplates, type DataSourceDef } from '@sreworks/lowcode/browser';
import { runFunction, type RuntimeServices } from './services.js';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** CPU budget of data-processing functions. */
export const FUNCTION_CPU_MS = 1000;

export class DataSourceError extends Error {
  constructor(
    readonly step: 'beforeRequest' | 'request' | 'function' | 'afterResponse' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'DataSourceError';
  }
}

/** Page params a data source reads: its dependsOn and every `$(name)` in its request. */
export function dataSourceDeps(def: DataSourceDef): string[] {
  const vars = collectTemplateVars(def.kind === 'api' ? [def.url, def.params ?? null, def.body ?? null] : def.kind === 'json' ? def.json : null);
  for (const d of def.dependsOn ?? []) vars.add(d);
  return [...vars].sort();
}

export function missingDeps(def: DataSourceDef, scope: Record<string, unknown>): string[] {
  return (def.dependsOn ?? []).filter((d) => scope[d] === undefined || scope[d] === null || scope[d] === '');
}

function withTimeout<T>(p: Promise<T>, ms: number, signal: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      signal.abort();
      reject(new DataSourceError('timeout', `no answer within ${ms} ms`));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export async function loadDataSource(svc: RuntimeServices, def: DataSourceDef, scope: Record<string, unknown>, ns: string, outer?: AbortSignal): Promise<unknown> {
  const ctl = new AbortController();
  outer?.addEventListener('abort', () => ctl.abort());
  const timeout = def.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limits = { timeoutMs: Math.min(timeout, FUNCTION_CPU_MS) };
  const params = (scope.params ?? scope) as Record<string, unknown>;
  const step = async <T>(name: DataSourceError['step'], f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof DataSourceError) throw e;
      throw new DataSourceError(name, `${name}: ${(e as Error).message ?? String(e)}`);
    }
  };
  const work = async () => {
    let data: unknown;
    if (def.kind === 'json') {
      data = resolveTemplates(def.json, scope);
    } else if (def.kind === 'function') {
      data = await step('function', () => runFunction(svc, def.fn.$fn, [params], ['params', 'nodeParams'], { ns, limits }));
    } else {
      let extra: Record<string, unknown> = {};
      if (def.beforeRequest) {
        const r = await step('beforeRequest', () => runFunction(svc, def.beforeRequest!.$fn, [params], ['nodeParams', 'params'], { ns, limits }));
        if (r && typeof r === 'object' && !Array.isArray(r)) extra = r as Record<string, unknown>;
      }
      const rawUrl = typeof def.url === 'string' ? def.url : def.url.$tpl;
      let url = renderText(rawUrl, scope, { uri: true });
      const query = { ...((resolveTemplates(def.params ?? {}, scope) as Record<string, unknown>) ?? {}), ...extra };
      const body = def.body === undefined ? undefined : resolveTemplates(def.body, scope);
      const method = def.method ?? 'GET';
      const qs = Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
        .join('&');
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
      data = await step('request', () => svc.api.request(method, url, body, { signal: ctl.signal }));
    }
    if (def.afterResponse) data = await step('afterResponse', () => runFunction(svc, def.afterResponse!.$fn, [data, params], ['respData', 'nodeParams'], { ns, limits }));
    return data;
  };
  return withTimeout(work(), timeout, ctl);
}
