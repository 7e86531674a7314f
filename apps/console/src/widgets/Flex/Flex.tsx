import { Flex as AntFlex } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slotItems } from '../common/slots.js';
import { defaults, type FlexProps } from './meta.js';

export function Flex({ props, slots }: WidgetRenderProps<FlexProps>) {
  const p = withDefaults(defaults, props);
  return (
    <AntFlex vertical={p.vertical} wrap={p.wrap ? 'wrap' : 'nowrap'} gap={p.gap} align={p.align} justify={p.justify}>
      {slotItems(slots, 'default').map((c, i) => (
        <div key={i} style={p.equal ? { flex: '1 1 0', minWidth: 0 } : { minWidth: 0 }}>
          {c}
        </div>
      ))}
    </AntFlex>
  );
}
