// The platform API client used by the shell, the runtime and (through the sandbox) page code:
// same origin, session cookie, CSRF header on mutating requests, errors as ApiError.
import type { UploadOptions } from '@sreworks/lowcode/browser';

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
  /** send a prepared body with upload progress (XMLHttpRequest: fetch reports no upload progress). */
  upload<T = unknown>(url: string, body: Blob | FormData | string, opts?: UploadOptions): Promise<T>;
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
  /** XMLHttpRequest constructor for uploads (tests pass a fake). */
  xhr?: () => XMLHttpRequest;
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
      return answer<T>(m, url, res.status, res.headers.get('content-type') ?? '', await res.text(), opts.onUnauthorized);
    },
    upload<T>(url: string, body: Blob | FormData | string, o: UploadOptions = {}): Promise<T> {
      const m = (o.method ?? 'POST').toUpperCase();
      const bad = apiPathError(url);
      if (bad) return Promise.reject(new ApiError(0, 'API_BAD_URL', bad));
      return new Promise<T>((resolve, reject) => {
        const xhr = opts.xhr ? opts.xhr() : new XMLHttpRequest();
        xhr.open(m, url);
        xhr.setRequestHeader('accept', 'application/json');
        const csrf = readCookie('sw_csrf');
        if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
        if (o.contentType && !(typeof FormData !== 'undefined' && body instanceof FormData)) xhr.setRequestHeader('content-type', o.contentType);
        xhr.upload.onprogress = (e) => o.onProgress?.(e.loaded, e.lengthComputable ? e.total : 0);
        xhr.onload = () => {
          try {
            resolve(answer<T>(m, url, xhr.status, xhr.getResponseHeader('content-type') ?? '', xhr.responseText, opts.onUnauthorized));
          } catch (e) {
            reject(e);
          }
        };
        xhr.onerror = () => reject(new ApiError(0, 'API_NETWORK', `${m} ${url}: the upload failed (network error or the connection was closed)`));
        xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
        if (o.signal) {
          if (o.signal.aborted) return reject(new DOMException('upload aborted', 'AbortError'));
          o.signal.addEventListener('abort', () => xhr.abort(), { once: true });
        }
        xhr.send(body);
      });
    },
  };
}

/** Only same-origin API paths: "//host", "/\\host" and "scheme:" URLs are refused. */
export function apiPathError(url: string): string | undefined {
  if (!url.startsWith('/api/') && url !== '/api') return `url "${url}" must be a platform API path starting with "/api/"`;
  if (/^\/[\\/]/.test(url)) return `url "${url}" must be a platform API path`;
  return undefined;
}

/** One reading of an answer for request and upload: JSON or an ApiError naming what came back. */
function answer<T>(m: string, url: string, status: number, type: string, text: string, onUnauthorized?: () => void): T {
  const ok = status >= 200 && status < 300;
  let json: any;
  if (text) {
    if (!type.includes('json')) {
      const hint = /^\s*</.test(text) ? 'HTML' : type || 'text';
      throw new ApiError(status, 'API_NOT_JSON', `${m} ${url} answered ${status} with ${hint} instead of JSON`);
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(status, 'API_BAD_JSON', `${m} ${url} answered malformed JSON`);
    }
  }
  if (!ok) {
    if (status === 401) onUnauthorized?.();
    const e = json?.error;
    // the Prometheus API answers {status: "error", errorType, error: "<message>"}
    if (typeof e === 'string') throw new ApiError(status, typeof json.errorType === 'string' ? `PROM_${json.errorType.toUpperCase()}` : `HTTP_${status}`, `${status}: ${e}`);
    throw new ApiError(status, e?.code ?? `HTTP_${status}`, e?.message ?? `${m} ${url} failed with ${status}`, e?.details);
  }
  return json as T;
}
