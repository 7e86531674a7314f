import { Button, Popconfirm } from 'antd';
import type { ActionDef } from './actionSchema.js';
import { icon } from './icons.js';

export function ActionButton({ a, onFire, size, block }: { a: ActionDef; onFire: (a: ActionDef) => void; size?: 'small' | 'middle' | 'large'; block?: boolean }) {
  const btn = (
    <Button type={a.type ?? 'default'} danger={a.danger} icon={icon(a.icon)} disabled={a.disabled} size={size} block={block} onClick={a.confirm ? undefined : () => onFire(a)}>
      {a.label}
    </Button>
  );
  return a.confirm ? (
    <Popconfirm title={a.confirm} onConfirm={() => onFire(a)} disabled={a.disabled}>
      {btn}
    </Popconfirm>
  ) : (
    btn
  );
}
