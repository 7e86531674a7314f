// Routes of the designer under /design: the app/page list, the page designer
// (/design/<app>/<page id with slashes>) and the component editor (/design/components).
import { Route, Routes, useParams } from 'react-router-dom';
import { useAuth } from '../shell/auth.js';
import { usePrefs } from '../shell/prefs.js';
import { ComponentsScreen } from '../custom-components/ComponentsScreen.js';
import { Designer } from './Designer.js';
import { DesignerHome } from './DesignerHome.js';

function DesignerPage() {
  const { api } = useAuth();
  const { lang } = usePrefs();
  const { appId = '', '*': rest = '' } = useParams();
  const pageId = rest.replace(/\/+$/, '');
  return <Designer key={`${appId}/${pageId}`} api={api} appId={appId} pageId={pageId} lang={lang} />;
}

export function DesignerRoutes() {
  const { api } = useAuth();
  return (
    <Routes>
      <Route index element={<DesignerHome api={api} />} />
      <Route path="components" element={<ComponentsScreen api={api} />} />
      <Route path=":appId/*" element={<DesignerPage />} />
    </Routes>
  );
}
