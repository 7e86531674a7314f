// @vitest-environment happy-dom
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { createElement as h, useEffect } from 'react';
import { render, screen, waitFor, fireEvent, cleanup, act } from '@testing-library/react';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import type { PageDef, WidgetMeta, WidgetRenderProps } from '@sreworks/lowcode/browser';
import { SandboxCore } from '../src/runtime/sandbox/core.js';
import { compileJsx, substitutePlaceholders } from '../src/runtime/sandbox/jsx.js';
import { platformHttp, type Sandbox } from '../src/runtime/sandbox/client.js';
import { PageView } from '../src/runtime/PageView.js';
import { ServicesContext, type RuntimeServices } from '../src/runtime/services.js';
import type { WidgetRegistry } from '../src/runtime/widgets.js';
import { ApiError, type ApiClient } from '../src/runtime/api.js';

// ---- minimal test widgets (the real library lives in src/widgets)
function List({ props, data, loading, error, emit }: WidgetRenderProps<{ label?: string; rows?: unknown }>) {
  if (loading) return h('div', { 'data-testid': 'loading' }, 'loading');
  if (error) return h('div', null, 'widget saw error');
  const rows = (Array.isArray(data) ? data : ((data as any)?.items ?? [])) as any[];
  return h('ul', { 'data-testid': `list-${props.label}` }, rows.map((r, i) => h('li', { key: i, onClick: () => emit('rowClick', r) }, typeof r === 'object' ? r.name : String(r))));
}
function Text({ props }: WidgetRenderProps<{ text?: unknown }>) {
  return h('span', { 'data-testid': 'text' }, String(props.text));
}
function Picker({ props, setOutput }: WidgetRenderProps<{ value?: string }>) {
  useEffect(() => setOutput({ value: props.value }), [props.value, setOutput]);
  return h('button', { 'data-testid': 'pick', onClick: () => setOutput({ value: 'b' }) }, 'pick b');
}
function Boom(): never {
  throw new Error('widget exploded');
}
const meta = (type: string, events: string[] = []): WidgetMeta => ({ type, name: type, category: 'display', description: type, propsSchema: { type: 'object' }, defaults: {}, events });
const registry: WidgetRegistry = {
  List: { meta: meta('List', ['rowClick']), load: async () => List as any },
  Text: { meta: meta('Text'), load: async () => Text as any },
  Picker: { meta: meta('Picker'), load: async () => Picker as any },
  Boom: { meta: meta('Boom'), load: async () => Boom as any },
};

let sandbox: Sandbox;
const requests: string[] = [];
const notes: string[] = [];
const routes: Record<string, (body?: unknown) => unknown> = {};
const api: ApiClient = {
  async request(method: string, url: string, body?: unknown, o?: { signal?: AbortSignal }) {
    requests.push(`${method} ${url}`);
    const path = url.split('?')[0]!;
    const r = routes[`${method} ${path}`];
    if (!r) throw new ApiError(404, 'NOT_FOUND', `no route ${method} ${path}`);
    const v = r(body);
    if (v === 'hang') return new Promise((_res, rej) => o?.signal?.addEventListener('abort', () => rej(new Error('aborted'))));
    return v as any;
  },
  async upload(url: string, body: Blob | FormData | string) {
    return this.request('POST', url, typeof body === 'string' ? JSON.parse(body) : body);
  },
};

beforeAll(async () => {
  const qjs = await newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));
  const core = new SandboxCore(qjs, { http: platformHttp((m, u, b) => api.request(m, u, b), 'http://t') }, compileJsx);
  sandbox = {
    restarts: 0,
    run: (call) => core.run(call.request.op === 'jsx' ? { ...call, request: { ...call.request, code: substitutePlaceholders(call.request.code, call.request.scope) } } : call),
    dispose() {},
  };
});
afterEach(() => {
  cleanup();
  requests.length = 0;
  notes.length = 0;
});

function services(): RuntimeServices {
  return {
    api,
    sandbox,
    registry,
    lang: 'en',
    navigate: (to) => notes.push(`navigate ${to}`),
    location: () => ({ href: 'http://t/apps/x/p', origin: 'http://t', pathname: '/apps/x/p', search: '', hash: '', query: {} }),
    notify: (level, text) => notes.push(`${level}: ${text}`),
  };
}

function show(page: Omit<PageDef, 'schemaVersion' | 'app' | 'id' | 'title' | 'params' | 'dataSources'> & Partial<PageDef>, query = '') {
  const full = { schemaVersion: 1, app: 'x', id: 'p', title: 'P', params: {}, dataSources: {}, ...page } as PageDef;
  return render(h(ServicesContext.Provider, { value: services() }, h(PageView, { page: full, query: new URLSearchParams(query) })));
}

const fluid = (...nodes: any[]) => ({ kind: 'fluid' as const, rows: [{ cols: [{ span: 24, nodes }] }] });

describe('page runtime', () => {
  it('loads an api data source with URL params, reshapes it in the sandbox, and renders it', async () => {
    routes['GET /api/things'] = () => ({ items: [{ name: 'alpha' }, { name: 'beta' }] });
    show({
      params: { kind: { type: 'string', from: 'url' } },
      layout: fluid({ id: 'l', type: 'List', props: { label: 'a' }, dataSource: { kind: 'api', url: '/api/things?kind=$(kind)', afterResponse: { $fn: 'function after(respData, nodeParams) { return respData.items.map(i => ({ name: i.name + "-" + nodeParams.kind })); }' } } }),
    }, 'kind=db');
    await waitFor(() => expect(screen.getByTestId('list-a').textContent).toBe('alpha-dbbeta-db'), { timeout: 5000 });
    expect(requests).toEqual(['GET /api/things?kind=db']);
  });

  it('waits for dependsOn params, fed by another node output, then loads', async () => {
    routes['GET /api/items'] = () => [{ name: 'x' }];
    show({
      params: { sel: { type: 'string', from: 'state' } },
      layout: fluid(
        { id: 'p', type: 'Picker', props: { value: 'a' }, outputs: [{ param: 'sel', path: 'value' }] },
        { id: 'l', type: 'List', props: { label: 'b' }, dependsOn: ['sel'], dataSource: { kind: 'api', url: '/api/items', params: { sel: '$(sel)' }, dependsOn: ['sel'] } },
      ),
    });
    await waitFor(() => expect(requests).toContain('GET /api/items?sel=a'), { timeout: 5000 });
    fireEvent.click(await screen.findByTestId('pick'));
    await waitFor(() => expect(requests).toContain('GET /api/items?sel=b'), { timeout: 5000 });
  });

  it('evaluates $expr props and visibility in the sandbox; hidden nodes load nothing', async () => {
    routes['GET /api/hidden'] = () => [];
    show({
      params: { n: { type: 'number', from: 'url' } },
      layout: fluid(
        { id: 't', type: 'Text', props: { text: { $expr: 'params.n * 2' } } },
        { id: 'h', type: 'List', props: { label: 'h' }, visibleWhen: { $expr: 'nodeParams.n > 100' }, dataSource: { kind: 'api', url: '/api/hidden' } },
      ),
    }, 'n=21');
    await waitFor(() => expect(screen.getByTestId('text').textContent).toBe('42'), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.queryByTestId('list-h')).toBeNull();
    expect(requests).not.toContain('GET /api/hidden');
  });

  it('isolates a failing widget, a failing data source and an unknown widget; the rest renders', async () => {
    routes['GET /api/fine'] = () => [{ name: 'ok' }];
    const { container } = show({
      layout: fluid(
        { id: 'boom', type: 'Boom' },
        { id: 'missing', type: 'Chart' },
        { id: 'bad', type: 'List', props: { label: 'bad' }, dataSource: { kind: 'api', url: '/api/nope' } },
        { id: 'slow', type: 'List', props: { label: 'slow' }, dataSource: { kind: 'function', fn: { $fn: 'for (;;) {}' } } },
        { id: 'fine', type: 'List', props: { label: 'fine' }, dataSource: { kind: 'api', url: '/api/fine' } },
        { id: 'ph', type: 'Unsupported', props: { label: 'SREWorks widget "X" is not supported yet' } },
      ),
    });
    await waitFor(() => expect(screen.getByTestId('list-fine').textContent).toBe('ok'), { timeout: 5000 });
    await waitFor(() => expect(container.querySelector('[data-node=slow]')?.getAttribute('data-error')).toMatch(/ran longer than 1000 ms/), { timeout: 8000 });
    await waitFor(() => expect(container.querySelector('[data-node=boom]')?.textContent).toMatch(/widget exploded/), { timeout: 5000 });
    expect(container.querySelector('[data-testid=sw-unknown-widget]')?.textContent).toMatch(/Unknown widget type "Chart"/);
    expect(container.querySelector('[data-node=bad]')?.getAttribute('data-error')).toMatch(/no route GET \/api\/nope/);
    expect(container.querySelector('[data-node=bad]')?.textContent).toContain('widget saw error');
    expect(container.querySelector('[data-testid=sw-unsupported]')?.textContent).toMatch(/not supported yet/);
  });

  it('reloads a data source on its refresh interval', async () => {
    let n = 0;
    routes['GET /api/tick'] = () => [{ name: `t${++n}` }];
    show({ layout: fluid({ id: 'r', type: 'List', props: { label: 'tick' }, dataSource: { kind: 'api', url: '/api/tick', refreshMs: 1000 } }) });
    await waitFor(() => expect(screen.getByTestId('list-tick').textContent).toBe('t1'), { timeout: 3000 });
    await waitFor(() => expect(screen.getByTestId('list-tick').textContent).toBe('t2'), { timeout: 3000 });
  });

  it('times out a data source that never answers', async () => {
    routes['GET /api/hang'] = () => 'hang';
    const { container } = show({ layout: fluid({ id: 'h', type: 'List', props: { label: 'h' }, dataSource: { kind: 'api', url: '/api/hang', timeoutMs: 200 } }) });
    await waitFor(() => expect(container.querySelector('[data-node=h]')?.getAttribute('data-error')).toMatch(/no answer within 200 ms/), { timeout: 3000 });
  });

  it('runs actions from events and toolbar buttons: confirm, callApi with the row, refresh, navigate', async () => {
    let n = 0;
    routes['GET /api/rows'] = () => [{ name: `row${++n}`, id: n }];
    routes['DELETE /api/rows/1'] = () => ({ ok: true });
    const { container } = show({
      layout: fluid({
        id: 'l',
        type: 'List',
        props: { label: 'r' },
        dataSource: { kind: 'api', url: '/api/rows' },
        toolbar: [{ key: 'go', label: 'Go' }],
        actions: {
          rowClick: [{ kind: 'confirm', title: 'Delete $(row.name)?', then: [{ kind: 'callApi', method: 'DELETE', url: '/api/rows/$(row.id)', successMessage: 'deleted $(row.name)', then: [{ kind: 'refresh', targets: ['l'] }] }] }],
          'toolbar.go': [{ kind: 'navigate', to: '/apps/x/other', params: { id: 7 } }],
        },
      }),
    });
    await waitFor(() => expect(screen.getByTestId('list-r').textContent).toBe('row1'), { timeout: 5000 });
    fireEvent.click(screen.getByText('row1'));
    const ok = await waitFor(() => {
      const b = document.querySelector('[data-testid=sw-confirm-ok]') as HTMLElement;
      expect(b).toBeTruthy();
      return b;
    });
    expect(document.body.textContent).toContain('Delete row1?');
    await act(async () => fireEvent.click(ok));
    await waitFor(() => expect(screen.getByTestId('list-r').textContent).toBe('row2'), { timeout: 5000 });
    expect(requests).toContain('DELETE /api/rows/1');
    expect(notes).toContain('success: deleted row1');
    fireEvent.click(container.querySelector('[data-testid=sw-toolbar-l-go]')!);
    await waitFor(() => expect(notes).toContain('navigate /apps/x/other?id=7'));
  });

  it('opens a form from a toolbar button, validates, refuses on a server error, then submits and runs follow-ups', async () => {
    const bodies: unknown[] = [];
    routes['GET /api/teams'] = () => [{ name: 't1' }];
    routes['POST /api/teams'] = (b) => {
      bodies.push(b);
      if ((b as any).name === 'taken') throw new ApiError(409, 'IAM_TEAM_EXISTS', 'team "taken" already exists');
      return { id: 'x1', ...(b as object) };
    };
    const { container } = show({
      layout: fluid({
        id: 'teams',
        type: 'List',
        props: { label: 'teams' },
        dataSource: { kind: 'api', url: '/api/teams' },
        toolbar: [{ key: 'create', label: 'Create' }],
        actions: {
          'toolbar.create': [
            {
              kind: 'openForm', display: 'modal', title: 'Create team',
              fields: [{ name: 'name', label: 'Name', required: true, pattern: '^[a-z0-9-]+$' }, { name: 'size', label: 'Size', kind: 'number' }, { name: 'kind', kind: 'hidden', defaultValue: 'team' }],
              beforeSubmit: { $fn: 'function (values) { return { pass: true, transformParams: { name: values.name.trim() } }; }' },
              submit: { method: 'POST', url: '/api/teams' },
              successMessage: 'created $(result.name)',
              then: [{ kind: 'message', text: 'id=$(result.id)' }, { kind: 'refresh', targets: ['teams'] }],
            },
          ],
        },
      }),
    });
    await waitFor(() => expect(screen.getByTestId('list-teams').textContent).toBe('t1'), { timeout: 5000 });
    fireEvent.click(container.querySelector('[data-testid=sw-toolbar-teams-create]')!);
    const input = (await waitFor(() => document.querySelector('#name') as HTMLInputElement)) as HTMLInputElement;
    const submit = () => act(async () => fireEvent.click(document.querySelector('[data-testid=sw-form-submit]')!));
    fireEvent.change(input, { target: { value: 'Bad Name' } });
    await submit();
    await waitFor(() => expect(document.body.textContent).toContain('must match'));
    expect(bodies).toEqual([]);
    fireEvent.change(input, { target: { value: 'taken' } });
    await submit();
    await waitFor(() => expect(document.querySelector('[data-testid=sw-form-error]')?.textContent).toMatch(/already exists/));
    fireEvent.change(input, { target: { value: 'fresh' } });
    await submit();
    await waitFor(() => expect(notes).toContain('info: id=x1'), { timeout: 5000 });
    expect(notes).toContain('success: created fresh');
    expect(bodies[bodies.length - 1]).toEqual({ name: 'fresh', kind: 'team' });
    await waitFor(() => expect(document.querySelector('[data-testid=sw-form]')).toBeNull());
    expect(requests.filter((r) => r === 'GET /api/teams').length).toBe(2);
  });

  it('renders grid layouts and JSX templates from the allow-list only', async () => {
    const { container } = show({
      layout: {
        kind: 'grid', cols: 12, rowHeight: 12, margin: [8, 8],
        nodes: [
          { id: 'j', type: 'Jsx', grid: { x: 0, y: 0, w: 6, h: 4 }, props: { template: { $jsx: "<div data-testid='jsx'><antd.Tag color='red'>$(who)</antd.Tag><a href='javascript:alert(1)' onClick={() => 1}>x</a><script>bad()</script><iframe src='/x'></iframe><span data-testid='styled' style={{ color: 'red', background: 'url(https://evil.example/x.png)' }}>s</span></div>" } } },
        ],
      },
      params: { who: { type: 'string', from: 'url' } },
    }, 'who=%3Cb%3Ebold%3C%2Fb%3E');
    await waitFor(() => expect(container.querySelector('[data-testid=jsx]')).toBeTruthy(), { timeout: 5000 });
    const jsx = container.querySelector('[data-testid=jsx]')!;
    expect(jsx.querySelector('.ant-tag')?.textContent).toBe('<b>bold</b>');
    expect(jsx.querySelector('a')?.getAttribute('href')).toBeNull();
    expect(jsx.querySelector('script')).toBeNull();
    expect(jsx.querySelector('iframe')).toBeNull();
    expect(jsx.textContent).toContain('[script]');
    const styled = jsx.querySelector('[data-testid=styled]') as HTMLElement;
    expect(styled.style.color).toBe('red');
    expect(styled.style.background).toBe('');
    expect((container.querySelector('.sw-grid > div') as HTMLElement).style.gridColumn).toBe('1 / span 6');
  });

  it('shows what is wrong with an invalid page instead of rendering it', async () => {
    const { container } = show({ layout: { kind: 'grid', nodes: [{ id: 'a', type: 'Text' }] } as any });
    expect(container.querySelector('[data-testid=sw-page-invalid]')?.textContent).toMatch(/layout\.nodes\[0\]\.grid/);
  });
});
