import { useState } from 'react';
import { Tabs as AntTabs } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slot } from '../common/slots.js';
import { defaults, type TabsProps } from './meta.js';

export function Tabs({ props, slots, emit, setOutput }: WidgetRenderProps<TabsProps>) {
  const p = withDefaults(defaults, props);
  const [active, setActive] = useState(p.defaultActiveKey ?? p.items[0]?.key);
  return (
    <AntTabs
      activeKey={active}
      type={p.type}
      tabPlacement={p.placement}
      destroyOnHidden={false}
      onChange={(k) => {
        setActive(k);
        setOutput({ activeKey: k });
        emit('change', k);
      }}
      items={p.items.map((it) => ({
        key: it.key,
        label: it.label,
        disabled: it.disabled,
        // Not-yet-visited tabs render nothing, so their nodes do not fetch.
        forceRender: !p.lazy,
        children: slot(slots, it.key),
      }))}
    />
  );
}
