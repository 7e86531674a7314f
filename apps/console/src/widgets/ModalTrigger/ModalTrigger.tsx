import { useState } from 'react';
import { Button, Drawer, Modal } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slot } from '../common/slots.js';
import { icon } from '../common/icons.js';
import { defaults, type ModalTriggerProps } from './meta.js';

export function ModalTrigger({ props, slots, emit }: WidgetRenderProps<ModalTriggerProps>) {
  const p = withDefaults(defaults, props);
  const [open, setOpen] = useState(false);
  const close = () => {
    setOpen(false);
    emit('close');
  };
  const ok = () => {
    setOpen(false);
    emit('ok');
  };
  const body = slot(slots, 'default');
  return (
    <>
      <Button
        type={p.buttonType}
        icon={icon(p.icon)}
        onClick={() => {
          setOpen(true);
          emit('open');
        }}
      >
        {p.buttonText}
      </Button>
      {p.mode === 'drawer' ? (
        <Drawer open={open} title={p.title} size={p.width} onClose={close} destroyOnHidden extra={p.okText ? <Button type="primary" onClick={ok}>{p.okText}</Button> : undefined}>
          {body}
        </Drawer>
      ) : (
        <Modal open={open} title={p.title} width={p.width} onCancel={close} destroyOnHidden footer={p.okText ? undefined : null} okText={p.okText} onOk={ok}>
          {body}
        </Modal>
      )}
    </>
  );
}
