import { isValidElement, useMemo, type ReactNode } from 'react';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { defaults, type JsxTemplateProps } from './meta.js';
import { isElementDesc, renderElementTree, type ElementNode } from './elementTree.js';

export function JsxTemplate({ props, data, emit, error, loading }: WidgetRenderProps<JsxTemplateProps>) {
  const p = withDefaults(defaults, props);
  // The page runtime turns {$jsx} into a render function (or an element); render what it gives.
  const c = p.content as unknown;
  if (typeof c === 'function' || isValidElement(c)) {
    if (error) return <ErrorBox message={error} />;
    const node = typeof c === 'function' ? (c as (l: Record<string, unknown>) => ReactNode)({ data, loading }) : c;
    return p.inline ? <span>{node}</span> : <div>{node}</div>;
  }
  return <JsxTree content={p.content} inline={p.inline} data={data} emit={emit} error={error} />;
}

function JsxTree({ content, inline, data, emit, error }: { content: unknown; inline: boolean; data: unknown; emit: WidgetRenderProps['emit']; error?: string }) {
  const p = { content, inline };
  // Without content, a data source that already returns a tree is rendered directly.
  const tree = (p.content ?? (isElementDesc(data) || Array.isArray(data) ? data : undefined)) as ElementNode;
  const rendered = useMemo(() => {
    try {
      return { node: renderElementTree(tree, { emit }) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [tree, emit]);
  if (error) return <ErrorBox message={error} />;
  if (rendered.error) return <ErrorBox message={`template: ${rendered.error}`} />;
  return p.inline ? <span>{rendered.node}</span> : <div>{rendered.node}</div>;
}
