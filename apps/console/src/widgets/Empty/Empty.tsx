import { Button, Empty as AntEmpty } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { defaults, type EmptyProps } from './meta.js';

export function Empty({ props, emit }: WidgetRenderProps<EmptyProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  return (
    <AntEmpty image={p.simple ? AntEmpty.PRESENTED_IMAGE_SIMPLE : AntEmpty.PRESENTED_IMAGE_DEFAULT} description={p.description ?? t('No data')}>
      {p.actionText ? (
        <Button type="primary" onClick={() => emit('action')}>
          {p.actionText}
        </Button>
      ) : null}
    </AntEmpty>
  );
}
