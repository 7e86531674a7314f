import { Button, Result as AntResult } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { defaults, type ResultProps } from './meta.js';

export function Result({ props, emit }: WidgetRenderProps<ResultProps>) {
  const p = withDefaults(defaults, props);
  return (
    <AntResult
      status={p.status}
      title={p.title}
      subTitle={p.subTitle}
      extra={p.actions.map((a) => (
        <Button key={a.event} type={a.primary ? 'primary' : 'default'} onClick={() => emit(a.event)}>
          {a.label}
        </Button>
      ))}
    />
  );
}
