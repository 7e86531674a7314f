// The platform API client used by the shell, the runtime and (through the sandbox) page code:
// same origin, session cookie, CSRF header on mutating requests, errors as ApiError.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  request<T = unknown>(method: string, url: string, body?: unknown, opts?: { signal?: AbortSignal }): Promise<T>;
}

export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  /** called on 401 (session expired). */
  onUnauthorized?: () => void;
}

export function createApi(opts: ApiOptions = {}): ApiClient {
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  return {
    async request<T>(method: string, url: string, body?: unknown, o: { signal?: AbortSignal } = {}): Promise<T> {
      const m = method.toUpperCase();
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (m !== 'GET' && m !== 'HEAD') {
        const csrf = readCookie('sw_csrf');
        if (csrf) headers['x-csrf-token'] = csrf;
      }
      const res = await doFetch(url, { method: m, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: o.signal });
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      let json: any;
      if (text) {
        if (!type.includes('json')) {
          const hint = /^\s*</.test(text) ? 'HTML' : type || 'text';
          throw new ApiError(res.status, 'API_NOT_JSON', `${m} ${url} answered ${res.status} with ${hint} instead of JSON`);
        }
        try {
          json = JSON.parse(text);
        } catch {
          throw new ApiError(res.status, 'API_BAD_JSON', `${m} ${url} answered malformed JSON`);
        }
      }
      if (!res.ok) {
        if (res.status === 401) opts.onUnauthorized?.();
        const e = json?.error;
        // the Prometheus API answers {status: "error", errorType, error: "<message>"}
        if (typeof e === 'string') throw new ApiError(res.status, typeof json.errorType === 'string' ? `PROM_${json.errorType.toUpperCase()}` : `HTTP_${res.status}`, `${res.status}: ${e}`);
        throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? `${m} ${url} failed with ${res.status}`, e?.details);
      }
      return json as T;
    },
  };
}
