import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { ActionButton } from '../common/ActionButton.js';
import { defaults, type ButtonProps } from './meta.js';

export function Button({ props, emit, loading }: WidgetRenderProps<ButtonProps>) {
  const p = withDefaults(defaults, props);
  return (
    <ActionButton
      a={{ key: p.event, label: p.label, type: p.type, danger: p.danger, icon: p.icon, confirm: p.confirm, disabled: p.disabled || loading }}
      size={p.size}
      block={p.block}
      onFire={() => emit(p.event, p.payload)}
    />
  );
}
