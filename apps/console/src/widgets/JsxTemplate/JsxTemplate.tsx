import { useMemo } from 'react';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { defaults, type JsxTemplateProps } from './meta.js';
import { isElementDesc, renderElementTree, type ElementNode } from './elementTree.js';

export function JsxTemplate({ props, data, emit, error }: WidgetRenderProps<JsxTemplateProps>) {
  const p = withDefaults(defaults, props);
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
