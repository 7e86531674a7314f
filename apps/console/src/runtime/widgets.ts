// The one door from the runtime to the widget library (apps/console/src/widgets, built
// separately). Resolved through import.meta.glob so the console builds with or without it.
import type { ComponentType } from 'react';
import type { WidgetMeta, WidgetRenderProps } from '@sreworks/lowcode/browser';

export interface WidgetEntry {
  meta: WidgetMeta;
  load: () => Promise<ComponentType<WidgetRenderProps<any>>>;
}
export type WidgetRegistry = Record<string, WidgetEntry>;

const modules = import.meta.glob<{ widgetRegistry: WidgetRegistry }>('../widgets/registry.ts');

let cached: Promise<WidgetRegistry> | undefined;

/** The library's registry, or an empty one when the library is not part of this build. */
export function loadWidgetRegistry(): Promise<WidgetRegistry> {
  cached ??= (async () => {
    const loader = Object.values(modules)[0];
    if (!loader) return {};
    return (await loader()).widgetRegistry;
  })();
  return cached;
}
