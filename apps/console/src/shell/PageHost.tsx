// Loads a published page definition and renders it with the runtime (lazy chunk: the runtime,
// the sandbox host and the widget registry load only when a page is shown).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App as AntApp, Skeleton } from 'antd';
import type { PageDef } from '@sreworks/lowcode/browser';
import { PageView } from '../runtime/PageView.js';
import { ServicesContext, type RuntimeServices } from '../runtime/services.js';
import { setSandboxApi, sharedSandbox } from '../runtime/sandbox/shared.js';
import { loadWidgetRegistry, type WidgetRegistry } from '../runtime/widgets.js';
import { loadComponentRegistry } from '../custom-components/registry.js';
import { useAuth } from './auth.js';
import { usePrefs } from './prefs.js';

export function PageHost({ appId, pageId }: { appId: string; pageId: string }) {
  const { api, me } = useAuth();
  const { lang } = usePrefs();
  const navigate = useNavigate();
  const [query, setQuery] = useSearchParams();
  const { message } = AntApp.useApp();
  const [registry, setRegistry] = useState<WidgetRegistry>();
  const [page, setPage] = useState<{ def?: PageDef; error?: string }>({});

  useEffect(() => {
    // custom and remote components (issue 6) join the widget library
    Promise.all([loadWidgetRegistry(), loadComponentRegistry(api)]).then(([w, c]) => setRegistry({ ...w, ...c }), () => setRegistry({}));
  }, [api]);
  useEffect(() => {
    let live = true;
    setPage({});
    api.request<{ page: PageDef }>('GET', `/api/lowcode/apps/${encodeURIComponent(appId)}/pages/${encodeURIComponent(pageId)}`).then(
      (r) => live && setPage({ def: r.page }),
      (e) => live && setPage({ error: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [api, appId, pageId]);

  setSandboxApi(api);
  const sandbox = sharedSandbox();
  const services: RuntimeServices | undefined = useMemo(
    () =>
      registry && {
        api,
        sandbox,
        registry,
        lang,
        storage: window.localStorage,
        navigate(to, opts) {
          if (opts?.newTab || /^https?:\/\//.test(to)) window.open(to, '_blank', 'noopener');
          else navigate(to.startsWith('/') ? to : `/apps/${appId}/${to}`, { replace: opts?.replace });
        },
        location() {
          const l = window.location;
          return { href: l.href, origin: l.origin, pathname: l.pathname, search: l.search, hash: l.hash, query: Object.fromEntries(new URLSearchParams(l.search)) };
        },
        notify(level, text) {
          message[level](text);
        },
      },
    [api, registry, lang, navigate, appId, message, sandbox],
  );
  const onQueryChange = useCallback((q: URLSearchParams) => setQuery(q, { replace: true }), [setQuery]);
  const user = useMemo(() => (me ? { ...me.user, teams: me.teams, lang } : undefined), [me, lang]);

  if (page.error) return <Alert type="error" showIcon title={page.error} data-testid="sw-page-error" />;
  if (!page.def || !services) return <Skeleton active />;
  return (
    <ServicesContext.Provider value={services}>
      <PageView page={page.def} query={query} onQueryChange={onQueryChange} user={user} />
    </ServicesContext.Provider>
  );
}
