// Remote components, registered by platform admins, run in the console's realm. Three formats:
// - esm: an ES module exporting `mount(element, ctx) => {update?(ctx), unmount?()}`;
// - umd: a script defining `window[global]` with the same `mount`; the console exposes
//   `window.SREWorksShared = {React, ReactDOM, antd}` so bundles share our copies;
// - vue: a module or script that defines a custom element (Vue 3 `defineCustomElement`); props
//   are set as element properties and CustomEvents become widget events.
// A bundle that 404s, has no mount, or throws shows an error in its node; the page goes on.
import { createElement, useEffect, useRef, useState, type ComponentType } from 'react';
import { Alert } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode/browser';

export interface RemoteDef {
  format: 'esm' | 'umd' | 'vue';
  url: string;
  global?: string;
  tag?: string;
}

export interface MountCtx {
  props: Record<string, unknown>;
  data: unknown;
  emit(event: string, payload?: unknown): void;
  setOutput(value: unknown): void;
}
type Mounted = { update?(ctx: MountCtx): void; unmount?(): void } | void;
type MountFn = (el: HTMLElement, ctx: MountCtx) => Mounted;

function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = url;
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${url} (network error or 404)`));
    document.head.appendChild(s);
  });
}

async function exposeShared(): Promise<void> {
  const w = window as unknown as { SREWorksShared?: unknown };
  if (w.SREWorksShared) return;
  const [React, ReactDOM, antd] = await Promise.all([import('react'), import('react-dom/client'), import('antd')]);
  w.SREWorksShared = { React, ReactDOM, antd };
}

function ErrorNode({ message }: { message: string }) {
  return <Alert type="error" showIcon data-testid="sw-remote-error" title={message} />;
}

function mountComponent(name: string, mount: MountFn): ComponentType<WidgetRenderProps<any>> {
  return function RemoteComponent(p: WidgetRenderProps<any>) {
    const el = useRef<HTMLDivElement>(null);
    const inst = useRef<Mounted>(undefined);
    const [error, setError] = useState<string>();
    const ctx: MountCtx = { props: p.props, data: p.data, emit: p.emit, setOutput: p.setOutput };
    useEffect(() => {
      try {
        inst.current = mount(el.current!, ctx);
      } catch (e) {
        setError(`remote component ${name} threw while mounting: ${(e as Error).message}`);
      }
      return () => {
        try {
          inst.current?.unmount?.();
        } catch {
          /* a failing unmount must not break the page */
        }
      };
    }, []);
    useEffect(() => {
      try {
        inst.current?.update?.(ctx);
      } catch (e) {
        setError(`remote component ${name} threw while updating: ${(e as Error).message}`);
      }
    });
    return (
      <div data-testid="sw-remote" data-remote={name}>
        {error && <ErrorNode message={error} />}
        <div ref={el} style={error ? { display: 'none' } : undefined} />
      </div>
    );
  };
}

/** Events a custom element may fire: the usual ones, the meta's, and a Vue element's declared emits. */
function elementEvents(tag: string, declared: readonly string[] = []): string[] {
  const def = (customElements.get(tag) as { def?: { emits?: unknown } } | undefined)?.def;
  const emits = Array.isArray(def?.emits) ? def.emits : def?.emits && typeof def.emits === 'object' ? Object.keys(def.emits) : [];
  return [...new Set(['change', 'select', 'click', 'submit', 'output', ...declared, ...emits.filter((e): e is string => typeof e === 'string')])];
}

function customElement(name: string, tag: string, declared?: readonly string[]): ComponentType<WidgetRenderProps<any>> {
  const events = elementEvents(tag, declared);
  return function VueElement(p: WidgetRenderProps<any>) {
    const ref = useRef<HTMLElement>(null);
    useEffect(() => {
      const el = ref.current as (HTMLElement & Record<string, unknown>) | null;
      if (!el) return;
      for (const [k, v] of Object.entries(p.props ?? {})) el[k] = v;
      el.data = p.data;
    });
    useEffect(() => {
      const el = ref.current;
      if (!el) return;
      // Vue's emit(event, ...args) dispatches a CustomEvent whose detail is the args array: one
      // argument becomes the widget event's payload as it is.
      const payload = (e: Event) => {
        const d = (e as CustomEvent).detail;
        return Array.isArray(d) && d.length <= 1 ? d[0] : d;
      };
      const on = (e: Event) => {
        // a native click bubbling out of the element is not the component's event
        if (!(e instanceof CustomEvent)) return;
        if (e.type === 'output') p.setOutput(payload(e));
        else p.emit(e.type, payload(e));
      };
      events.forEach((ev) => el.addEventListener(ev, on));
      return () => events.forEach((ev) => el.removeEventListener(ev, on));
    });
    return <div data-testid="sw-remote" data-remote={name}>{createElement(tag, { ref })}</div>;
  };
}

/** Loads a remote component; never rejects (a failure becomes a component showing the error). */
export async function loadRemote(name: string, def: RemoteDef & { meta?: { events?: string[] } }): Promise<ComponentType<WidgetRenderProps<any>>> {
  try {
    if (def.format === 'esm') {
      const mod = (await import(/* @vite-ignore */ def.url)) as { mount?: MountFn; default?: { mount?: MountFn } };
      const mount = mod.mount ?? mod.default?.mount;
      if (typeof mount !== 'function') throw new Error('the module exports no mount(element, ctx) function');
      return mountComponent(name, mount);
    }
    if (def.format === 'umd') {
      await exposeShared();
      await loadScript(def.url);
      const g = (window as unknown as Record<string, { mount?: MountFn } | undefined>)[def.global ?? ''];
      if (!g || typeof g.mount !== 'function') throw new Error(`the bundle did not define window.${def.global}.mount`);
      return mountComponent(name, g.mount);
    }
    const tag = def.tag ?? '';
    if (!customElements.get(tag)) {
      let importError: Error | undefined;
      try {
        await import(/* @vite-ignore */ def.url);
      } catch (e) {
        importError = e as Error;
      }
      if (importError) {
        // not a module (a classic script that needs `this` or sloppy mode): run it as a script
        await loadScript(def.url);
        // a module that loaded but threw while it ran is the cause to report, at once
        const threw = !/fetch|import|load|MIME/i.test(importError.message);
        if (threw && !customElements.get(tag)) throw new Error(`the bundle threw: ${importError.message}`);
      }
      const timeout = new Promise((_, rej) => setTimeout(() => rej(new Error(`<${tag}> was not defined by ${def.url}`)), 5000));
      await Promise.race([customElements.whenDefined(tag), timeout]);
    }
    return customElement(name, tag, def.meta?.events);
  } catch (e) {
    const message = `remote component ${name} failed to load from ${def.url}: ${(e as Error).message}`;
    return function RemoteError() {
      return <ErrorNode message={message} />;
    };
  }
}
