// A widget drawn on the canvas: the real widget component with its static props and the meta's
// mock data (templates and expressions are shown by the live preview, not here).
import { Component, Suspense, lazy, useMemo, type ComponentType, type ReactNode } from 'react';
import { Alert, Skeleton } from 'antd';
import { isDynamic, type NodeDef, type WidgetRenderProps } from '@sreworks/lowcode/browser';
import type { WidgetEntry } from '../runtime/widgets.js';

const cache = new Map<WidgetEntry, ComponentType<WidgetRenderProps<any>>>();
function lazyOf(entry: WidgetEntry) {
  let c = cache.get(entry);
  if (!c) {
    c = lazy(async () => ({ default: await entry.load() }));
    cache.set(entry, c);
  }
  return c;
}

class Boundary extends Component<{ children: ReactNode; resetKey: string }, { error?: string; key?: string }> {
  override state: { error?: string; key?: string } = {};
  static getDerivedStateFromError(e: Error) {
    return { error: e.message };
  }
  override componentDidUpdate() {
    if (this.state.error && this.state.key !== this.props.resetKey) this.setState({ error: undefined, key: this.props.resetKey });
  }
  override render() {
    return this.state.error ? <Alert type="error" showIcon title={this.state.error} /> : this.props.children;
  }
}

const noop = () => {};
const offline = { request: () => Promise.reject(new Error('the canvas shows mock data; use Preview for live data')) };

export function WidgetPreview({ node, entry }: { node: NodeDef; entry?: WidgetEntry }) {
  const props = useMemo(() => {
    const out: Record<string, unknown> = { ...(entry?.meta.defaults ?? {}) };
    for (const [k, v] of Object.entries(node.props ?? {})) if (!isDynamic(v)) out[k] = v;
    return out;
  }, [node.props, entry]);
  if (!entry) return <Alert type="warning" showIcon title={`unknown widget type "${node.type}"`} />;
  const W = lazyOf(entry);
  return (
    <Boundary resetKey={JSON.stringify(props)}>
      <Suspense fallback={<Skeleton active paragraph={{ rows: 2 }} />}>
        <W props={props} data={entry.meta.mockData} loading={false} emit={noop} setOutput={noop} api={offline} />
      </Suspense>
    </Boundary>
  );
}
