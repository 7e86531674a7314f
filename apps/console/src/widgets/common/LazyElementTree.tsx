import { isValidElement, lazy, Suspense } from 'react';
import type { ElementContext, ElementNode } from '../JsxTemplate/elementTree.js';

// The element-tree renderer imports a dozen antd components; widgets that only sometimes get a
// tree (Table cells) load it on first use instead of carrying it in their chunk.
const Tree = lazy(() =>
  import('../JsxTemplate/elementTree.js').then((m) => ({
    default: ({ node, emit }: { node: ElementNode; emit?: ElementContext['emit'] }) => <>{m.renderElementTree(node, { emit })}</>,
  })),
);

export function LazyElementTree({ node, emit }: { node: ElementNode; emit?: ElementContext['emit'] }) {
  return (
    <Suspense fallback={null}>
      <Tree node={node} emit={emit} />
    </Suspense>
  );
}

export function isElementDesc(v: unknown): v is { type: string; props?: Record<string, unknown>; children?: ElementNode } {
  // React elements come only from trusted runtime code (a $$typeof symbol cannot cross JSON).
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isValidElement(v) && typeof (v as { type?: unknown }).type === 'string';
}
