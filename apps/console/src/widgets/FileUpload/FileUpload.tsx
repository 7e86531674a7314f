import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { Flex, Progress, Typography, theme } from 'antd';
import { CloudUploadOutlined } from '@ant-design/icons';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { formatBytes } from '../common/format.js';
import { defaults, type FileUploadProps } from './meta.js';
import { acceptError, prepareBody, sizeError } from './upload.js';

interface Item {
  id: number;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'error';
  percent: number;
  error?: string;
}

export interface UploadResult {
  file: { name: string; size: number; type: string };
  ok: boolean;
  response?: unknown;
  error?: { code: string; message: string; status?: number };
}

/** Only platform API paths: the upload goes through the page's client, never to another origin. */
export function uploadUrlError(url: string): string | undefined {
  if (!url.startsWith('/api/') || /^\/[\\/]/.test(url)) return `url: "${url}" must be a platform API path starting with "/api/"`;
  return undefined;
}

/** A server or client error as one line: "422 OAM_PLUGIN_INVALID: archive is not gzip". */
function errorOf(e: unknown): { code: string; message: string; status?: number } {
  const x = e as { status?: number; code?: string; message?: string };
  const status = typeof x?.status === 'number' && x.status > 0 ? x.status : undefined;
  return { code: x?.code ?? 'UPLOAD_FAILED', message: x?.message ?? String(e), status };
}

let nextId = 1;

export function FileUpload({ props, api, emit, setOutput }: WidgetRenderProps<FileUploadProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const { token } = theme.useToken();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const patch = (id: number, change: Partial<Item>) => setItems((list) => list.map((i) => (i.id === id ? { ...i, ...change } : i)));

  const one = async (file: File, signal: AbortSignal): Promise<UploadResult> => {
    const id = nextId++;
    const info = { name: file.name, size: file.size, type: file.type };
    setItems((list) => [...(p.multiple ? list : []), { id, name: file.name, size: file.size, status: 'uploading', percent: 0 }]);
    const fail = (error: { code: string; message: string; status?: number }): UploadResult => {
      patch(id, { status: 'error', error: error.message });
      emit('error', { file: info, ...error });
      return { file: info, ok: false, error };
    };
    const refused = acceptError(file, p.accept);
    if (refused) return fail({ code: 'UPLOAD_TYPE', message: refused });
    const tooBig = sizeError(file, p.maxSize);
    if (tooBig) return fail({ code: 'UPLOAD_TOO_LARGE', message: tooBig });
    try {
      let response: unknown;
      if (!p.url) {
        response = { ...info, text: await file.text() };
      } else {
        const badUrl = uploadUrlError(p.url);
        if (badUrl) return fail({ code: 'UPLOAD_BAD_URL', message: badUrl });
        if (!api.upload) return fail({ code: 'UPLOAD_UNSUPPORTED', message: 'this view cannot send files (the designer canvas shows the widget only; use Preview)' });
        const { body, contentType } = await prepareBody(file, { encoding: p.encoding, fieldName: p.fieldName, nameField: p.nameField, fields: p.fields });
        response = await api.upload(p.url, body, {
          method: p.method,
          contentType,
          signal,
          onProgress: (loaded, total) => patch(id, { percent: total > 0 ? Math.min(99, Math.floor((loaded / total) * 100)) : 50 }),
        });
      }
      patch(id, { status: 'done', percent: 100 });
      emit('uploaded', { file: info, response });
      return { file: info, ok: true, response };
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return { file: info, ok: false, error: { code: 'UPLOAD_ABORTED', message: 'aborted' } };
      return fail(errorOf(e));
    }
  };

  const start = async (list: File[]) => {
    if (p.disabled || busy || !list.length) return;
    const files = p.multiple ? list : list.slice(0, 1);
    abort.current = new AbortController();
    setBusy(true);
    const results: UploadResult[] = [];
    try {
      // one at a time: the progress bars stay meaningful and the server sees one body at once
      for (const f of files) results.push(await one(f, abort.current.signal));
    } finally {
      setBusy(false);
    }
    const last = [...results].reverse().find((r) => r.ok);
    setOutput({ files: results, response: last?.response });
    emit('done', results);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void start(Array.from(e.dataTransfer?.files ?? []));
  };
  const choose = () => {
    if (!p.disabled && !busy) input.current?.click();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose();
    }
  };

  const limits = [p.accept ? p.accept : undefined, p.maxSize ? `≤ ${formatBytes(p.maxSize)}` : undefined].filter(Boolean).join(' · ');
  return (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      <div
        role="button"
        tabIndex={p.disabled ? -1 : 0}
        aria-disabled={p.disabled || busy}
        aria-label={p.hint ?? t('Drop a file here or click to choose one')}
        data-testid="upload-drop"
        onClick={choose}
        onKeyDown={onKey}
        onDragOver={(e) => {
          e.preventDefault();
          if (!over) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        style={{
          border: `1px dashed ${over ? token.colorPrimary : token.colorBorder}`,
          borderRadius: token.borderRadiusLG,
          background: over ? token.colorPrimaryBg : token.colorFillQuaternary,
          padding: 16,
          textAlign: 'center',
          cursor: p.disabled || busy ? 'not-allowed' : 'pointer',
          opacity: p.disabled ? 0.6 : 1,
        }}
      >
        <CloudUploadOutlined style={{ fontSize: 28, color: token.colorPrimary }} />
        <div>{p.hint ?? t('Drop a file here or click to choose one')}</div>
        {limits ? <Typography.Text type="secondary">{limits}</Typography.Text> : null}
        <input
          ref={input}
          type="file"
          hidden
          accept={p.accept || undefined}
          multiple={p.multiple}
          data-testid="upload-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = ''; // choosing the same file again fires change again
            void start(files);
          }}
        />
      </div>
      {items.map((i) => (
        <div key={i.id} data-testid="upload-item" style={{ marginTop: 8 }}>
          <Flex justify="space-between" gap={8}>
            <Typography.Text ellipsis>{i.name}</Typography.Text>
            <Typography.Text type="secondary">{formatBytes(i.size)}</Typography.Text>
          </Flex>
          <Progress percent={i.percent} size="small" status={i.status === 'error' ? 'exception' : i.status === 'done' ? 'success' : 'active'} />
          {i.error ? (
            <Typography.Text type="danger" role="alert">
              {i.error}
            </Typography.Text>
          ) : null}
        </div>
      ))}
    </div>
  );
}
