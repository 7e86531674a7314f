// Hosts a custom JSX component in an opaque-origin iframe (sandbox="allow-scripts", no
// allow-same-origin; the document is served with a CSP that forbids network access). Props and
// data go in by postMessage; events, outputs, errors and the content height come out. Messages
// are accepted only from this frame's own window.
import { useEffect, useRef, useState } from 'react';
import { Alert } from 'antd';

export const SANDBOX_URL = '/api/lowcode/components/sandbox.html';

export interface SandboxFrameProps {
  code: string;
  props: Record<string, unknown>;
  data?: unknown;
  onEvent?(event: string, payload: unknown): void;
  onOutput?(value: unknown): void;
  testId?: string;
}

function jsonSafe(v: unknown): unknown {
  try {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  } catch {
    return undefined;
  }
}

export function SandboxFrame({ code, props, data, onEvent, onOutput, testId }: SandboxFrameProps) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const [height, setHeight] = useState(40);
  const [error, setError] = useState<string>();
  const cb = useRef({ onEvent, onOutput });
  cb.current = { onEvent, onOutput };

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (!ref.current || e.source !== ref.current.contentWindow) return;
      const m = e.data as { sw?: string; [k: string]: unknown };
      if (m?.sw === 'ready') setReady(true);
      else if (m?.sw === 'resize' && typeof m.height === 'number') setHeight(Math.min(Math.max(m.height, 16), 4000));
      else if (m?.sw === 'event' && typeof m.event === 'string') cb.current.onEvent?.(m.event, m.payload);
      else if (m?.sw === 'output') cb.current.onOutput?.(m.value);
      else if (m?.sw === 'error') setError(String(m.message));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  useEffect(() => {
    if (!ready) return;
    setError(undefined);
    ref.current?.contentWindow?.postMessage({ sw: 'code', code }, '*');
  }, [ready, code]);

  const propsJson = JSON.stringify(jsonSafe(props) ?? {});
  const dataJson = JSON.stringify(jsonSafe(data) ?? null);
  useEffect(() => {
    if (!ready) return;
    ref.current?.contentWindow?.postMessage({ sw: 'props', props: JSON.parse(propsJson), data: JSON.parse(dataJson) }, '*');
  }, [ready, code, propsJson, dataJson]);

  return (
    <div data-testid={testId ?? 'sw-custom-component'} data-error={error}>
      <iframe ref={ref} title="custom component" src={SANDBOX_URL} sandbox="allow-scripts" referrerPolicy="no-referrer" style={{ width: '100%', height, border: 0, display: 'block', background: 'transparent' }} />
      {error && <Alert type="error" showIcon title={error} data-testid="sw-custom-error" style={{ marginTop: 4 }} />}
    </div>
  );
}
