// The installed ops apps (GET /api/lowcode/apps), shared by the portal header, menus and search.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AppManifest, MenuItem } from '@sreworks/lowcode/browser';
import { useAuth } from './auth.js';

export type AppInfo = AppManifest & { source?: string };

interface AppsState {
  apps: AppInfo[] | undefined;
  error?: string;
}
const AppsContext = createContext<AppsState>({ apps: undefined });

export function AppsProvider({ children }: { children: ReactNode }) {
  const { api } = useAuth();
  const [state, setState] = useState<AppsState>({ apps: undefined });
  useEffect(() => {
    api.request<{ items: AppInfo[] }>('GET', '/api/lowcode/apps?limit=500').then(
      (r) => setState({ apps: r.items }),
      (e) => setState({ apps: [], error: (e as Error).message }),
    );
  }, [api]);
  return <AppsContext.Provider value={state}>{children}</AppsContext.Provider>;
}

export function useApps(): AppsState {
  return useContext(AppsContext);
}

/** First visible page of an app: its `home`, else the first menu entry with a page. */
export function homePage(app: AppInfo): string | undefined {
  if (app.home) return app.home;
  const walk = (items: MenuItem[]): string | undefined => {
    for (const m of items) {
      if (m.hidden) continue;
      if (m.page) return m.page;
      const c = m.children && walk(m.children);
      if (c) return c;
    }
    return undefined;
  };
  return walk(app.menu);
}

/** The chain of menu items leading to a page (for breadcrumbs and the open menu). */
export function menuTrail(items: MenuItem[], page: string): MenuItem[] {
  for (const m of items) {
    if (m.page === page) return [m];
    if (m.children) {
      const sub = menuTrail(m.children, page);
      if (sub.length) return [m, ...sub];
    }
  }
  return [];
}
