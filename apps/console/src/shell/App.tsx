// The shell: providers (theme, language, auth), routes, lazy-loaded screens. Feature pages are
// page definitions rendered by the runtime; nothing here is a feature page.
import { Suspense, lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import enUS from 'antd/es/locale/en_US.js';
import zhCN from 'antd/es/locale/zh_CN.js';
import { AuthProvider, useAuth } from './auth.js';
import { PrefsProvider, usePrefs } from './prefs.js';
// The frame is part of the entry (most loads are signed in): one round trip less before the
// desktop; it starts fetching the page runtime and the sandbox worker as it loads.
import { Frame } from './Frame.js';

const Login = lazy(() => import('./Login.js').then((m) => ({ default: m.Login })));

function Loading() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', height: '60vh' }}>
      <Spin size="large" />
    </div>
  );
}

function RequireAuth() {
  const { me } = useAuth();
  const loc = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  return <Frame />;
}

function Themed() {
  const { lang, dark } = usePrefs();
  return (
    <ConfigProvider locale={(lang === 'zh' ? zhCN : enUS) as any} theme={{ algorithm: dark ? theme.darkAlgorithm : theme.defaultAlgorithm, token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <div className={dark ? 'sw-dark' : 'sw-light'} data-theme={dark ? 'dark' : 'light'} style={{ minHeight: '100vh' }}>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/login" element={<Login />} />
              <Route path="/*" element={<RequireAuth />} />
            </Routes>
          </Suspense>
        </div>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <PrefsProvider>
        <AuthProvider>
          <Themed />
        </AuthProvider>
      </PrefsProvider>
    </BrowserRouter>
  );
}
