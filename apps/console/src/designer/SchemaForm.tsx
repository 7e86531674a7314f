// The property panel: a form generated from a widget meta's JSON Schema (rjsf does not support
// antd 6 / React 19 cleanly here, so this is a small generator over the subset widget metas use:
// string, number, integer, boolean, enum, object, array). Each field can switch between a static
// value, a template ({$tpl: "…$(param)…"}) and an expression ({$expr: "…"}).
import { Input, InputNumber, Segmented, Select, Space, Switch, Tooltip, Typography } from 'antd';
import { isDynamic } from '@sreworks/lowcode/browser';
import { useState } from 'react';

type Schema = Record<string, any>;
type Mode = 'value' | 'tpl' | 'expr';

function modeOf(v: unknown): Mode {
  if (isDynamic(v) && '$tpl' in v) return 'tpl';
  if (isDynamic(v) && '$expr' in v) return 'expr';
  return 'value';
}

function JsonInput({ value, onChange, testId }: { value: unknown; onChange(v: unknown): void; testId?: string }) {
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [error, setError] = useState<string>();
  return (
    <>
      <Input.TextArea
        data-testid={testId}
        autoSize={{ minRows: 2, maxRows: 12 }}
        value={text}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value));
            setError(undefined);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}

function StaticEditor({ schema, value, onChange, testId }: { schema: Schema; value: unknown; onChange(v: unknown): void; testId: string }) {
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (Array.isArray(schema.enum)) {
    return <Select data-testid={testId} style={{ width: '100%' }} allowClear value={value as string} onChange={onChange} options={schema.enum.map((e: unknown) => ({ value: e as string, label: String(e) }))} />;
  }
  if (type === 'boolean') return <Switch data-testid={testId} checked={Boolean(value)} onChange={onChange} size="small" />;
  if (type === 'number' || type === 'integer') return <InputNumber data-testid={testId} style={{ width: '100%' }} value={value as number} min={schema.minimum} max={schema.maximum} step={type === 'integer' ? 1 : undefined} onChange={(v) => onChange(v ?? undefined)} />;
  if (type === 'string') {
    return (schema.maxLength ?? 0) > 200 || schema.format === 'textarea' ? (
      <Input.TextArea data-testid={testId} autoSize={{ minRows: 2, maxRows: 8 }} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />
    ) : (
      <Input data-testid={testId} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />
    );
  }
  return <JsonInput testId={testId} value={value} onChange={onChange} />;
}

export function PropField({ name, schema, value, onChange, required }: { name: string; schema: Schema; value: unknown; onChange(v: unknown): void; required?: boolean }) {
  const mode = modeOf(value);
  const testId = `sw-prop-${name}`;
  const switchMode = (m: Mode) => {
    if (m === mode) return;
    const text = isDynamic(value) ? String(Object.values(value)[0]) : value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    if (m === 'tpl') onChange({ $tpl: text });
    else if (m === 'expr') onChange({ $expr: text || 'undefined' });
    else onChange(schema.default);
  };
  return (
    <div style={{ marginBottom: 12 }} data-testid={`sw-field-${name}`}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Tooltip title={schema.description}>
          <Typography.Text strong style={{ fontSize: 12 }}>
            {schema.title ?? name}
            {required ? ' *' : ''}
          </Typography.Text>
        </Tooltip>
        <Segmented
          size="small"
          value={mode}
          onChange={(m) => switchMode(m as Mode)}
          options={[
            { value: 'value', label: 'abc' },
            { value: 'tpl', label: <Tooltip title="template: text with $(param) placeholders">$( )</Tooltip> },
            { value: 'expr', label: <Tooltip title="expression: sandboxed JavaScript over the page params">fx</Tooltip> },
          ]}
          data-testid={`sw-mode-${name}`}
        />
      </Space>
      <div style={{ marginTop: 4 }}>
        {mode === 'value' ? (
          <StaticEditor schema={schema} value={value} onChange={onChange} testId={testId} />
        ) : (
          <Input
            data-testid={testId}
            style={{ fontFamily: 'monospace', fontSize: 12 }}
            prefix={mode === 'tpl' ? '$' : 'ƒ'}
            value={String(Object.values(value as object)[0] ?? '')}
            onChange={(e) => onChange(mode === 'tpl' ? { $tpl: e.target.value } : { $expr: e.target.value })}
          />
        )}
      </div>
    </div>
  );
}

/** The whole props form of a widget. Unknown props (not in the schema) stay untouched. */
export function SchemaForm({ schema, value, onChange }: { schema: Schema; value: Record<string, unknown>; onChange(v: Record<string, unknown>): void }) {
  const props: Record<string, Schema> = schema?.properties ?? {};
  const required = new Set<string>(schema?.required ?? []);
  const keys = Object.keys(props);
  if (!keys.length) return <Typography.Text type="secondary">This widget has no properties.</Typography.Text>;
  return (
    <div data-testid="sw-schema-form">
      {keys.map((k) => (
        <PropField
          key={k}
          name={k}
          schema={props[k]!}
          required={required.has(k)}
          value={value[k]}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined) delete next[k];
            else next[k] = v;
            onChange(next);
          }}
        />
      ))}
    </div>
  );
}
