// Version history of a page: list, line diff against the version being edited, restore (as a new
// draft) and publish of an older version (rollback).
import { useEffect, useState } from 'react';
import { Alert, Button, Drawer, List, Space, Tag, Typography } from 'antd';
import { diffLines } from 'diff';
import type { PageDef } from '@sreworks/lowcode/browser';
import type { ApiClient } from '../runtime/api.js';

interface Version {
  version: number;
  status: string;
  comment: string | null;
  createdAt: string;
  createdBy: string | null;
}

export function Versions({ open, onClose, api, base, current, onRestore, onPublish }: { open: boolean; onClose(): void; api: ApiClient; base: string; current: PageDef; onRestore(p: PageDef, v: number): void; onPublish(v: number): void }) {
  const [items, setItems] = useState<Version[]>([]);
  const [sel, setSel] = useState<{ v: number; page: PageDef }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!open) return;
    setSel(undefined);
    api.request<{ items: Version[] }>('GET', `${base}/versions`).then((r) => setItems(r.items), (e) => setError((e as Error).message));
  }, [open, api, base]);
  const pick = (v: number) => api.request<{ page: PageDef }>('GET', `${base}?version=${v}`).then((r) => setSel({ v, page: r.page }), (e) => setError((e as Error).message));
  const parts = sel ? diffLines(JSON.stringify(sel.page, null, 2), JSON.stringify(current, null, 2)) : [];
  return (
    <Drawer open={open} onClose={onClose} size={720} title="Version history" data-testid="sw-versions">
      {error && <Alert type="error" showIcon title={error} />}
      <div style={{ display: 'flex', gap: 12 }}>
        <List
          style={{ width: 240 }}
          size="small"
          dataSource={items}
          renderItem={(v) => (
            <List.Item onClick={() => pick(v.version)} style={{ cursor: 'pointer', background: sel?.v === v.version ? 'rgba(22,119,255,.08)' : undefined }} data-testid="sw-version">
              <Space orientation="vertical" size={0}>
                <Space>
                  <b>v{v.version}</b>
                  {v.status !== 'old' && <Tag color={v.status === 'published' ? 'green' : 'blue'}>{v.status}</Tag>}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                  {v.createdAt.replace('T', ' ').slice(0, 19)} {v.createdBy ? `· ${v.createdBy.slice(0, 12)}` : ''}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        <div style={{ flex: 1, minWidth: 0 }}>
          {!sel && <Typography.Text type="secondary">Pick a version to compare it with the page being edited.</Typography.Text>}
          {sel && (
            <>
              <Space style={{ marginBottom: 8 }}>
                <Button onClick={() => onRestore(sel.page, sel.v)} data-testid="sw-version-restore">
                  Restore v{sel.v} as draft
                </Button>
                <Button onClick={() => onPublish(sel.v)} data-testid="sw-version-publish">
                  Publish v{sel.v} (roll back)
                </Button>
              </Space>
              <pre data-testid="sw-version-diff" style={{ fontSize: 11, maxHeight: '70vh', overflow: 'auto', margin: 0 }}>
                {parts.every((p) => !p.added && !p.removed) && <span>No differences.</span>}
                {parts.map((p, i) =>
                  p.added || p.removed ? (
                    <div key={i} style={{ background: p.added ? 'rgba(82,196,26,.15)' : 'rgba(255,77,79,.15)' }}>
                      {p.value
                        .replace(/\n$/, '')
                        .split('\n')
                        .map((l) => `${p.added ? '+' : '-'} ${l}`)
                        .join('\n')}
                    </div>
                  ) : (
                    <div key={i} style={{ opacity: 0.5 }}>
                      {p.count && p.count > 6 ? `  … ${p.count} unchanged lines` : p.value.replace(/\n$/, '').split('\n').map((l) => `  ${l}`).join('\n')}
                    </div>
                  ),
                )}
              </pre>
            </>
          )}
        </div>
      </div>
    </Drawer>
  );
}
