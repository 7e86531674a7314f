import { Divider as AntDivider } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { defaults, type DividerProps } from './meta.js';

export function Divider({ props }: WidgetRenderProps<DividerProps>) {
  const p = withDefaults(defaults, props);
  return (
    <AntDivider orientation={p.vertical ? 'vertical' : 'horizontal'} titlePlacement={p.titlePlacement} dashed={p.dashed}>
      {p.vertical ? undefined : p.text}
    </AntDivider>
  );
}
