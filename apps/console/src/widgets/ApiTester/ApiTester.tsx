import { useEffect, useState } from 'react';
import { Alert, Button, Flex, Input, Select, Space, Typography, theme } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { describeError } from '../ErrorState/ErrorState.js';
import { defaults, type ApiTesterProps } from './meta.js';

/** Only same-origin API paths: "//host" and "scheme:" URLs are refused. */
export function checkApiUrl(url: string): string | undefined {
  const u = url.trim();
  if (!u.startsWith('/') || u.startsWith('//') || /^\/[\\/]/.test(u)) return 'url: must be a platform API path starting with "/"';
  return undefined;
}

interface Outcome {
  ok: boolean;
  ms: number;
  value: unknown;
}

export function ApiTester({ props, api, emit, setOutput }: WidgetRenderProps<ApiTesterProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const { token } = theme.useToken();
  const [method, setMethod] = useState(p.method);
  const [url, setUrl] = useState(p.url);
  const [body, setBody] = useState(p.body);
  const [busy, setBusy] = useState(false);
  const [out, setOut] = useState<Outcome | undefined>();
  const [inputError, setInputError] = useState<string | undefined>();

  const send = async () => {
    const urlErr = checkApiUrl(url);
    let payload: unknown;
    if (!urlErr && body.trim() && method !== 'GET' && method !== 'DELETE') {
      try {
        payload = JSON.parse(body);
      } catch (e) {
        setInputError(`body: ${t('Invalid JSON')}: ${(e as Error).message}`);
        return;
      }
    }
    setInputError(urlErr);
    if (urlErr) return;
    setBusy(true);
    const start = performance.now();
    try {
      const value = await api.request(method, url.trim(), payload);
      setOut({ ok: true, ms: performance.now() - start, value });
      setOutput(value);
      emit('response', value);
    } catch (e) {
      const err = (e as { body?: unknown }).body ?? e;
      setOut({ ok: false, ms: performance.now() - start, value: err instanceof Error ? { message: err.message, ...(err as unknown as Record<string, unknown>) } : err });
      emit('error', describeError(err instanceof Error ? err.message : err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (p.autoSend) void send();
    // once on mount
  }, []);

  const hasBody = method !== 'GET' && method !== 'DELETE';
  return (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      <Space.Compact style={{ width: '100%' }}>
        <Select value={method} onChange={setMethod} options={p.methods.map((m) => ({ value: m, label: m }))} style={{ width: 110 }} aria-label="method" />
        <Input value={url} onChange={(e) => setUrl(e.target.value)} onPressEnter={() => void send()} aria-label="url" />
        <Button type="primary" loading={busy} onClick={() => void send()}>
          {t('Send')}
        </Button>
      </Space.Compact>
      {hasBody ? (
        <Input.TextArea
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={5}
          placeholder={`${t('Body')} (JSON)`}
          spellCheck={false}
          style={{ marginTop: 8, fontFamily: token.fontFamilyCode }}
          aria-label="body"
        />
      ) : null}
      {inputError ? <Alert style={{ marginTop: 8 }} type="error" showIcon title={inputError} /> : null}
      {out ? (
        <div style={{ marginTop: 8 }}>
          <Flex gap={8}>
            <Typography.Text type={out.ok ? 'success' : 'danger'}>{out.ok ? 'OK' : describeError(out.value).code ?? 'ERROR'}</Typography.Text>
            <Typography.Text type="secondary">{Math.round(out.ms)} ms</Typography.Text>
          </Flex>
          <pre
            data-testid="api-response"
            style={{ maxHeight: 400, overflow: 'auto', margin: '4px 0 0', padding: 8, background: token.colorFillQuaternary, borderRadius: token.borderRadius, fontFamily: token.fontFamilyCode, fontSize: token.fontSizeSM }}
          >
            {JSON.stringify(out.value, null, 2)}
          </pre>
        </div>
      ) : null}
    </div>
  );
}
