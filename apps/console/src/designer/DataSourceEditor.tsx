// The data-source editor of a node (inline, or a reference to a page data source), with a
// test-run: the request goes to the live platform API, then beforeRequest/afterResponse run in
// the runtime's sandbox worker (the same QuickJS host pages use), and both results are shown.
import { useMemo, useState } from 'react';
import { Alert, Button, Input, InputNumber, Select, Space, Tabs, Typography } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { DataSourceDef, type PageDef } from '@sreworks/lowcode/browser';
import { loadDataSource } from '../runtime/data.js';
import type { RuntimeServices } from '../runtime/services.js';
import { CodeField, type Hint } from './CodeField.js';

type Ds = DataSourceDef;

const PARAM_HINTS: Hint[] = [
  { name: 'nodeParams', type: 'Record<string, unknown>', doc: 'the page params (URL, filters, outputs of other nodes)' },
  { name: 'params', type: 'Record<string, unknown>', doc: 'same as nodeParams' },
];
const AFTER_HINTS: Hint[] = [{ name: 'respData', type: 'unknown', doc: 'the parsed JSON the API answered (or the previous step result)' }, ...PARAM_HINTS];

function Json({ value, onChange, testId }: { value: unknown; onChange(v: unknown): void; testId?: string }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string>();
  return (
    <>
      <CodeField
        language="json"
        value={text}
        testId={testId}
        onChange={(t) => {
          setText(t);
          if (!t.trim()) return onChange(undefined);
          try {
            onChange(JSON.parse(t));
            setError(undefined);
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}

export function DataSourceEditor({ value, page, onChange, svc }: { value: string | Ds | undefined; page: PageDef; onChange(v: string | Ds | undefined): void; svc?: RuntimeServices }) {
  const mode = value === undefined ? 'none' : typeof value === 'string' ? 'ref' : 'inline';
  const ds = typeof value === 'object' ? value : undefined;
  const [run, setRun] = useState<{ raw?: unknown; result?: unknown; error?: string; ms?: number; running?: boolean }>({});
  const [debugParams, setDebugParams] = useState('{}');
  const sample = useMemo(() => ({ respData: run.raw, nodeParams: safeJson(debugParams), params: safeJson(debugParams) }), [run.raw, debugParams]);
  const set = (patch: Partial<Record<string, unknown>>) => {
    const next = { ...(ds as Record<string, unknown>), ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    onChange(next as Ds);
  };

  const testRun = async () => {
    if (!svc || !ds) return;
    const check = DataSourceDef.safeParse(ds);
    if (!check.success) return setRun({ error: `the data source is invalid: ${check.error.issues[0]!.path.join('.')}: ${check.error.issues[0]!.message}` });
    setRun({ running: true });
    const params = safeJson(debugParams) as Record<string, unknown>;
    const scope = { ...params, params };
    const t0 = performance.now();
    try {
      // the raw answer first (without afterResponse), then the whole pipeline as pages run it
      const { afterResponse, ...rawDef } = check.data;
      const raw = await loadDataSource(svc, rawDef as Ds, scope, `${page.app}/${page.id}`);
      const result = afterResponse ? await loadDataSource(svc, check.data, scope, `${page.app}/${page.id}`) : raw;
      setRun({ raw, result, ms: Math.round(performance.now() - t0) });
    } catch (e) {
      setRun({ error: (e as Error).message, ms: Math.round(performance.now() - t0) });
    }
  };

  return (
    <div data-testid="sw-ds-editor">
      <Select
        style={{ width: '100%', marginBottom: 8 }}
        value={mode}
        data-testid="sw-ds-mode"
        onChange={(m) => onChange(m === 'none' ? undefined : m === 'ref' ? (Object.keys(page.dataSources)[0] ?? '') : { kind: 'api', method: 'GET', url: '/api/' })}
        options={[
          { value: 'none', label: 'No data' },
          { value: 'inline', label: 'Own data source' },
          { value: 'ref', label: 'Page data source', disabled: !Object.keys(page.dataSources).length },
        ]}
      />
      {mode === 'ref' && <Select style={{ width: '100%' }} value={value as string} onChange={onChange} options={Object.keys(page.dataSources).map((k) => ({ value: k, label: k }))} />}
      {ds && (
        <Space orientation="vertical" style={{ width: '100%' }} size={8}>
          <Select
            style={{ width: '100%' }}
            value={ds.kind}
            data-testid="sw-ds-kind"
            onChange={(k) => onChange(k === 'api' ? { kind: 'api', method: 'GET', url: '/api/' } : k === 'json' ? { kind: 'json', json: [] } : { kind: 'function', fn: { $fn: 'return [];' } })}
            options={[
              { value: 'api', label: 'Platform API' },
              { value: 'json', label: 'Static JSON' },
              { value: 'function', label: 'Function' },
            ]}
          />
          {ds.kind === 'api' && (
            <>
              <Space.Compact style={{ width: '100%' }}>
                <Select style={{ width: 100 }} value={ds.method ?? 'GET'} onChange={(m) => set({ method: m })} options={['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ value: m, label: m }))} />
                <Input data-testid="sw-ds-url" value={typeof ds.url === 'string' ? ds.url : ds.url.$tpl} onChange={(e) => set({ url: e.target.value })} placeholder="/api/… with $(param) placeholders" />
              </Space.Compact>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                Query params (JSON)
              </Typography.Text>
              <Json value={ds.params} onChange={(v) => set({ params: v })} />
            </>
          )}
          {ds.kind === 'json' && <Json value={ds.json} onChange={(v) => set({ json: v })} testId="sw-ds-json" />}
          {ds.kind === 'function' && <CodeField testId="sw-ds-fn" value={ds.fn.$fn} onChange={(v) => set({ fn: { $fn: v } })} hints={PARAM_HINTS} sample={sample} signature="(params: Record<string, unknown>) => unknown | Promise<unknown>" />}
          <Tabs
            size="small"
            items={[
              ...(ds.kind === 'api'
                ? [
                    {
                      key: 'before',
                      label: 'beforeRequest',
                      children: <CodeField testId="sw-ds-before" value={ds.beforeRequest?.$fn ?? ''} onChange={(v) => set({ beforeRequest: v.trim() ? { $fn: v } : undefined })} hints={PARAM_HINTS} sample={sample} signature="(nodeParams) => Record<string, unknown>  // extra query params" />,
                    },
                  ]
                : []),
              {
                key: 'after',
                label: 'afterResponse',
                children: <CodeField testId="sw-ds-after" value={ds.afterResponse?.$fn ?? ''} onChange={(v) => set({ afterResponse: v.trim() ? { $fn: v } : undefined })} hints={AFTER_HINTS} sample={sample} signature="(respData, nodeParams) => unknown  // reshape the answer" />,
              },
            ]}
          />
          <Space wrap>
            <span style={{ fontSize: 12 }}>reload every</span>
            <InputNumber size="small" min={1} value={ds.refreshMs ? ds.refreshMs / 1000 : undefined} onChange={(v) => set({ refreshMs: v ? Math.max(1000, Math.round(v * 1000)) : undefined })} addonAfter="s" style={{ width: 110 }} />
            <Select size="small" mode="tags" placeholder="depends on params" style={{ minWidth: 160 }} value={ds.dependsOn ?? []} onChange={(v) => set({ dependsOn: v.length ? v : undefined })} options={Object.keys(page.params).map((p) => ({ value: p, label: p }))} />
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            Debug params for the test run (JSON)
          </Typography.Text>
          <Input.TextArea value={debugParams} onChange={(e) => setDebugParams(e.target.value)} autoSize={{ minRows: 1, maxRows: 4 }} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="sw-ds-debug" />
          <Button icon={<PlayCircleOutlined />} onClick={testRun} loading={run.running} disabled={!svc} data-testid="sw-ds-test">
            Test run
          </Button>
          {run.error && <Alert type="error" showIcon title={run.error} data-testid="sw-ds-test-error" />}
          {!run.error && run.ms !== undefined && (
            <div data-testid="sw-ds-test-result">
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {run.ms} ms · response
              </Typography.Text>
              <pre style={{ maxHeight: 140, overflow: 'auto', fontSize: 11, margin: 0 }}>{preview(run.raw)}</pre>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                after afterResponse
              </Typography.Text>
              <pre style={{ maxHeight: 160, overflow: 'auto', fontSize: 11, margin: 0 }} data-testid="sw-ds-test-output">
                {preview(run.result)}
              </pre>
            </div>
          )}
        </Space>
      )}
    </div>
  );
}

function safeJson(t: string): Record<string, unknown> {
  try {
    const v = JSON.parse(t);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

function preview(v: unknown): string {
  const s = JSON.stringify(v, null, 2) ?? 'undefined';
  return s.length > 4000 ? `${s.slice(0, 4000)}\n… (${s.length} characters)` : s;
}
