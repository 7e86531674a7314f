// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { ApiError, createApi } from '../src/runtime/api.js';

// A stand-in XMLHttpRequest: records what the client sets and lets the test answer.
class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  sent: unknown;
  status = 0;
  responseText = '';
  type = 'application/json';
  aborted = false;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(m: string, u: string) {
    this.method = m;
    this.url = u;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader() {
    return this.type;
  }
  send(b: unknown) {
    this.sent = b;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

const api = () => createApi({ xhr: () => new FakeXhr() as unknown as XMLHttpRequest });

afterEach(() => {
  document.cookie = 'sw_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('api.upload', () => {
  it('sends with the CSRF header, reports progress and returns the JSON answer', async () => {
    document.cookie = 'sw_csrf=tok123';
    const seen: [number, number][] = [];
    const p = api().upload('/api/oam/plugins', '{"a":1}', { contentType: 'application/json', onProgress: (l, t) => seen.push([l, t]) });
    const x = FakeXhr.last;
    expect([x.method, x.url, x.sent]).toEqual(['POST', '/api/oam/plugins', '{"a":1}']);
    expect(x.headers).toMatchObject({ 'x-csrf-token': 'tok123', 'content-type': 'application/json', accept: 'application/json' });
    x.upload.onprogress!({ loaded: 5, total: 10, lengthComputable: true });
    x.answer(200, { ok: true });
    expect(await p).toEqual({ ok: true });
    expect(seen).toEqual([[5, 10]]);
  });

  it('turns a 4xx body into an ApiError with its code and message', async () => {
    const p = api().upload('/api/oam/plugins', 'x', { method: 'put' });
    expect(FakeXhr.last.method).toBe('PUT');
    FakeXhr.last.answer(400, { error: { code: 'OAM_PLUGIN_INVALID', message: 'archive is not gzip', details: { field: 'body.archive' } } });
    const e = (await p.catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([400, 'OAM_PLUGIN_INVALID', 'archive is not gzip']);
  });

  it('names an HTML answer instead of failing to parse it', async () => {
    const p = api().upload('/api/x', 'x');
    FakeXhr.last.type = 'text/html';
    FakeXhr.last.answer(413, '<html>too large</html>');
    await expect(p).rejects.toMatchObject({ status: 413, code: 'API_NOT_JSON' });
  });

  it('refuses other origins without opening a request, and aborts on signal', async () => {
    const before = FakeXhr.last;
    await expect(api().upload('https://evil.example/api/x', 'x')).rejects.toMatchObject({ code: 'API_BAD_URL' });
    await expect(api().upload('//evil.example/api/x', 'x')).rejects.toMatchObject({ code: 'API_BAD_URL' });
    expect(FakeXhr.last).toBe(before);
    const ac = new AbortController();
    const p = api().upload('/api/x', 'x', { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(FakeXhr.last.aborted).toBe(true);
  });
});
