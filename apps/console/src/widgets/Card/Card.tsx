import { useState } from 'react';
import { Button, Card as AntCard } from 'antd';
import { DownOutlined, RightOutlined } from '@ant-design/icons';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slot } from '../common/slots.js';
import { defaults, type CardProps } from './meta.js';

export function Card({ props, slots }: WidgetRenderProps<CardProps>) {
  const p = withDefaults(defaults, props);
  const [open, setOpen] = useState(true);
  const toggle = p.collapsible ? (
    <Button type="text" size="small" icon={open ? <DownOutlined /> : <RightOutlined />} onClick={() => setOpen(!open)} aria-label="toggle" />
  ) : null;
  return (
    <AntCard
      title={p.title || toggle ? <span>{toggle}{p.title}</span> : undefined}
      extra={slot(slots, 'extra')}
      variant={p.variant}
      size={p.size === 'small' ? 'small' : undefined}
      hoverable={p.hoverable}
      styles={open ? undefined : { body: { display: 'none' } }}
    >
      {slot(slots, 'default')}
    </AntCard>
  );
}
