import { Collapse as AntCollapse } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slot } from '../common/slots.js';
import { defaults, type CollapseProps } from './meta.js';

export function Collapse({ props, slots, emit }: WidgetRenderProps<CollapseProps>) {
  const p = withDefaults(defaults, props);
  return (
    <AntCollapse
      accordion={p.accordion}
      ghost={p.ghost}
      defaultActiveKey={p.defaultActiveKeys}
      destroyOnHidden={false}
      onChange={(keys) => emit('change', keys)}
      items={p.items.map((it) => ({ key: it.key, label: it.label, children: slot(slots, it.key) }))}
    />
  );
}
