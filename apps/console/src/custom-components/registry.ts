// Stored custom and remote components as widget registry entries (`jsx:Name`, `remote:Name`), so
// the palette lists them and the runtime renders them like any widget.
import { createElement, type ComponentType } from 'react';
import type { ComponentRecord, WidgetMeta, WidgetRenderProps } from '@sreworks/lowcode/browser';
import type { ApiClient } from '../runtime/api.js';
import type { WidgetEntry, WidgetRegistry } from '../runtime/widgets.js';
import { compileJsx } from './compile.js';
import { SandboxFrame } from './SandboxFrame.js';
import { loadRemote } from './remote.js';

export function componentMeta(c: ComponentRecord): WidgetMeta {
  const m = c.def.meta;
  return {
    type: c.type,
    name: m.name,
    nameZh: m.nameZh,
    category: m.category ?? 'advanced',
    description: `${m.description ?? ''}${m.description ? ' ' : ''}(${c.kind === 'jsx' ? 'custom JSX, sandboxed' : `remote ${c.def.kind === 'remote' ? c.def.format : ''}`}, v${c.version})`,
    propsSchema: (m.propsSchema as Record<string, unknown>) ?? { type: 'object', properties: {} },
    defaults: (m.defaults as Record<string, unknown>) ?? {},
    events: m.events,
    mockData: m.mockData,
    version: c.version,
  };
}

function jsxWidget(code: string): ComponentType<WidgetRenderProps<any>> {
  return function JsxWidget(p: WidgetRenderProps<any>) {
    return createElement(SandboxFrame, { code, props: p.props ?? {}, data: p.data, onEvent: p.emit, onOutput: p.setOutput });
  };
}

function jsxError(message: string): ComponentType<WidgetRenderProps<any>> {
  return function JsxError() {
    return createElement('div', { 'data-testid': 'sw-custom-error', style: { color: '#cf1322' } }, message);
  };
}

export function componentEntry(c: ComponentRecord): WidgetEntry {
  const meta = componentMeta(c);
  if (c.def.kind === 'jsx') {
    const source = c.def.source;
    return {
      meta,
      load: async () => {
        const r = await compileJsx(source);
        return r.ok ? jsxWidget(r.code!) : jsxError(`${c.name}: ${r.error}`);
      },
    };
  }
  const def = c.def;
  return { meta, load: () => loadRemote(c.name, def) };
}

let cached: Promise<WidgetRegistry> | undefined;

/** The stored components as registry entries; empty (not failing) when the API refuses. */
export function loadComponentRegistry(api: ApiClient, refresh = false): Promise<WidgetRegistry> {
  if (refresh) cached = undefined;
  cached ??= api.request<{ items: ComponentRecord[] }>('GET', '/api/lowcode/components').then(
    (r) => Object.fromEntries(r.items.map((c) => [c.type, componentEntry(c)])),
    () => ({}),
  );
  return cached;
}
