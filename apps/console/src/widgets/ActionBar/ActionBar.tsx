import { Button, Dropdown, Flex, Modal } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { ActionButton } from '../common/ActionButton.js';
import type { ActionDef } from '../common/actionSchema.js';
import { icon } from '../common/icons.js';
import { defaults, type ActionBarProps } from './meta.js';

export function ActionBar({ props, emit }: WidgetRenderProps<ActionBarProps>) {
  const p = withDefaults(defaults, props);
  const fire = (a: ActionDef) => emit(a.event ?? a.key, a.payload);
  const visible = p.actions.slice(0, p.maxVisible);
  const more = p.actions.slice(p.maxVisible);
  return (
    <Flex gap="small" wrap justify={p.align === 'end' ? 'flex-end' : 'flex-start'}>
      {visible.map((a) => (
        <ActionButton key={a.key} a={a} onFire={fire} size={p.size} />
      ))}
      {more.length ? (
        <Dropdown
          menu={{
            items: more.map((a) => ({ key: a.key, label: a.label, danger: a.danger, disabled: a.disabled, icon: icon(a.icon) })),
            onClick: ({ key }) => {
              const a = more.find((x) => x.key === key);
              if (!a) return;
              if (a.confirm) Modal.confirm({ title: a.confirm, onOk: () => fire(a) });
              else fire(a);
            },
          }}
        >
          <Button size={p.size} icon={<MoreOutlined />} aria-label="more" />
        </Dropdown>
      ) : null}
    </Flex>
  );
}
