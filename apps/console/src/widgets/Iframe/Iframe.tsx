import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, withDefaults } from '../common/props.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { defaults, type IframeProps } from './meta.js';

const SAFE_SRC = /^(https?:\/\/|\/(?!\/)|\.{0,2}\/|about:blank$)/i;

/** The sandbox attribute; scripts plus same-origin would let the frame remove its own sandbox. */
export function sandboxTokens(allow: string[]): string {
  const set = new Set(allow);
  if (set.has('allow-scripts') && set.has('allow-same-origin')) set.delete('allow-same-origin');
  return [...set].join(' ');
}

export function Iframe({ props, data }: WidgetRenderProps<IframeProps>) {
  const p = withDefaults(defaults, props);
  const src = String(p.src ?? getPath(data, 'url') ?? '');
  if (!SAFE_SRC.test(src.trim())) return <ErrorBox message={`src: only http(s) and relative URLs can be embedded (got "${src.slice(0, 80)}")`} />;
  return (
    <iframe
      src={src}
      title={p.title ?? 'embedded page'}
      sandbox={sandboxTokens(p.allow)}
      referrerPolicy="no-referrer"
      loading="lazy"
      style={{ width: '100%', height: p.height, border: 0, display: 'block' }}
    />
  );
}
