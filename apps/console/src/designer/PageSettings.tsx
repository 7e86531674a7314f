// Page settings: title, page params (name, type, from, default) and page-level data sources.
import { useState } from 'react';
import { Button, Input, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { DataSourceDef, type PageDef, type ParamDef } from '@sreworks/lowcode/browser';
import { CodeField } from './CodeField.js';

export function PageSettings({ page, onChange }: { page: PageDef; onChange(p: PageDef): void }) {
  const [newParam, setNewParam] = useState('');
  const [dsText, setDsText] = useState(() => JSON.stringify(page.dataSources, null, 2));
  const [dsError, setDsError] = useState<string>();
  const setParam = (name: string, patch: Partial<ParamDef> | null) => {
    const params = { ...page.params };
    if (patch === null) delete params[name];
    else params[name] = { ...(params[name] ?? { type: 'string', from: 'url' }), ...patch } as ParamDef;
    onChange({ ...page, params });
  };
  return (
    <div data-testid="sw-page-settings">
      <Typography.Text strong style={{ fontSize: 12 }}>
        Title
      </Typography.Text>
      <Input value={page.title} onChange={(e) => onChange({ ...page, title: e.target.value })} data-testid="sw-page-title" style={{ marginBottom: 6 }} />
      <Input value={page.titleZh ?? ''} placeholder="中文标题" onChange={(e) => onChange({ ...page, titleZh: e.target.value || undefined })} style={{ marginBottom: 12 }} />
      <Typography.Text strong style={{ fontSize: 12 }}>
        Page params
      </Typography.Text>
      {Object.entries(page.params).map(([name, p]) => (
        <Space key={name} size={4} style={{ display: 'flex', margin: '4px 0' }} data-testid="sw-param">
          <Typography.Text code style={{ width: 80, display: 'inline-block', overflow: 'hidden' }}>
            {name}
          </Typography.Text>
          <Select size="small" value={p.type} style={{ width: 84 }} onChange={(type) => setParam(name, { type })} options={['string', 'number', 'boolean', 'json'].map((t) => ({ value: t, label: t }))} />
          <Select size="small" value={p.from} style={{ width: 70 }} onChange={(from) => setParam(name, { from })} options={['url', 'state'].map((t) => ({ value: t, label: t }))} />
          <Input size="small" placeholder="default" style={{ width: 80 }} value={p.default === undefined ? '' : String(p.default)} onChange={(e) => setParam(name, { default: e.target.value === '' ? undefined : p.type === 'number' ? Number(e.target.value) : p.type === 'boolean' ? e.target.value === 'true' : e.target.value })} />
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => setParam(name, null)} />
        </Space>
      ))}
      <Space.Compact style={{ width: '100%', margin: '4px 0 12px' }}>
        <Input size="small" placeholder="new param name" value={newParam} onChange={(e) => setNewParam(e.target.value.replace(/[^A-Za-z0-9_]/g, ''))} data-testid="sw-param-name" />
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newParam) || newParam in page.params}
          onClick={() => {
            setParam(newParam, {});
            setNewParam('');
          }}
          data-testid="sw-param-add"
        >
          Add
        </Button>
      </Space.Compact>
      <Typography.Text strong style={{ fontSize: 12 }}>
        Page data sources (shared by nodes; JSON)
      </Typography.Text>
      <CodeField
        language="json"
        value={dsText}
        minHeight={60}
        onChange={(t) => {
          setDsText(t);
          try {
            const v = JSON.parse(t) as Record<string, unknown>;
            for (const [k, d] of Object.entries(v)) {
              const r = DataSourceDef.safeParse(d);
              if (!r.success) throw new Error(`${k}.${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
            }
            setDsError(undefined);
            onChange({ ...page, dataSources: v as PageDef['dataSources'] });
          } catch (e) {
            setDsError((e as Error).message);
          }
        }}
      />
      {dsError && <Typography.Text type="danger">{dsError}</Typography.Text>}
    </div>
  );
}
