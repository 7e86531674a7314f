import { Image as AntImage } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { defaults, type ImageProps } from './meta.js';

// data:image/svg+xml is fine in <img>: scripts inside an SVG never run in image context.
const SAFE_SRC = /^(https?:\/\/|\/|\.{0,2}\/|data:image\/(png|jpe?g|gif|webp|svg\+xml)[;,])|^[^:]*$/i;

export function Image({ props, data }: WidgetRenderProps<ImageProps>) {
  const p = withDefaults(defaults, props);
  const src = String(p.src ?? (p.field ? getPath(data, p.field) : typeof data === 'string' ? data : '') ?? '');
  if (!src) return null;
  if (!SAFE_SRC.test(src.trim())) return <ErrorBox message={`src: only http(s), relative and data:image URLs are allowed`} />;
  return <AntImage src={src} alt={p.alt} width={p.width} height={p.height} preview={p.preview} />;
}
