// Actions of a node: for each event the widget emits, a list of actions (JSON, checked against
// the page schema) with quick-add buttons for the common kinds.
import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { z } from 'zod';
import { ActionDefSchema, type ActionDef, type NodeDef } from '@sreworks/lowcode/browser';
import { CodeField } from './CodeField.js';

const QUICK: Record<string, ActionDef> = {
  refresh: { kind: 'refresh' },
  setParams: { kind: 'setParams', params: { selected: { $tpl: '$(row.id)' } } },
  navigate: { kind: 'navigate', to: 'other-page?id=$(row.id)' },
  message: { kind: 'message', level: 'success', text: 'Done' },
  callApi: { kind: 'callApi', method: 'POST', url: '/api/…' },
} as unknown as Record<string, ActionDef>;

function EventActions({ event, list, onChange }: { event: string; list: ActionDef[]; onChange(l: ActionDef[] | undefined): void }) {
  const [text, setText] = useState(() => JSON.stringify(list, null, 2));
  const [error, setError] = useState<string>();
  const apply = (t: string) => {
    setText(t);
    try {
      const v = JSON.parse(t || '[]');
      const r = z.array(ActionDefSchema).safeParse(v);
      if (!r.success) throw new Error(`${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
      setError(undefined);
      onChange(r.data.length ? r.data : undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div style={{ marginBottom: 12 }} data-testid={`sw-actions-${event}`}>
      <Typography.Text strong style={{ fontSize: 12 }}>
        on {event}
      </Typography.Text>
      <Space size={2} wrap style={{ margin: '4px 0' }}>
        {Object.keys(QUICK).map((k) => (
          <Button key={k} size="small" onClick={() => apply(JSON.stringify([...(JSON.parse(text || '[]') as unknown[]), QUICK[k]], null, 2))}>
            + {k}
          </Button>
        ))}
      </Space>
      <CodeField language="json" value={text} onChange={apply} minHeight={40} />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </div>
  );
}

export function ActionsEditor({ node, events, onChange }: { node: NodeDef; events: string[]; onChange(n: NodeDef): void }) {
  const all = [...new Set([...events, ...Object.keys(node.actions ?? {})])];
  if (!all.length) return <Typography.Text type="secondary">This widget emits no events.</Typography.Text>;
  return (
    <div data-testid="sw-actions-editor">
      {all.map((ev) => (
        <EventActions
          key={`${node.id}:${ev}`}
          event={ev}
          list={node.actions?.[ev] ?? []}
          onChange={(l) => {
            const actions = { ...(node.actions ?? {}) };
            if (l) actions[ev] = l;
            else delete actions[ev];
            onChange({ ...node, actions: Object.keys(actions).length ? actions : undefined });
          }}
        />
      ))}
    </div>
  );
}
