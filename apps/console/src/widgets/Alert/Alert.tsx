import { Alert as AntAlert } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { isEmpty } from '../Form/fields.js';
import { defaults, type AlertProps } from './meta.js';

export function Alert({ props, data }: WidgetRenderProps<AlertProps>) {
  const p = withDefaults(defaults, props);
  if (p.showWhenField !== undefined) {
    const v = getPath(data, p.showWhenField);
    if (isEmpty(v) || v === false) return null;
  }
  return <AntAlert type={p.type} title={p.title} description={p.description} closable={p.closable} banner={p.banner} showIcon />;
}
