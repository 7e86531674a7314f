// Who is signed in: GET /api/auth/me on start; 401 sends the user to /login?next=<here>.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, createApi, type ApiClient } from '../runtime/api.js';

export interface Me {
  user: { id: string; username: string; displayName: string; platformRole: 'admin' | 'user' };
  teams: { id: string; name: string; role: string }[];
  permissions: string[];
}

interface AuthState {
  me: Me | null | undefined;
  api: ApiClient;
  reload(): Promise<void>;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const api = useMemo(() => createApi({ onUnauthorized: () => setMe(null) }), []);
  const reload = useCallback(async () => {
    try {
      setMe(await api.request<Me>('GET', '/api/auth/me'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, [api]);
  useEffect(() => {
    reload().catch(() => setMe(null));
  }, [reload]);
  const login = useCallback(
    async (username: string, password: string) => {
      await api.request('POST', '/api/auth/login', { username, password });
      await reload();
    },
    [api, reload],
  );
  const logout = useCallback(async () => {
    await api.request('POST', '/api/auth/logout', {}).catch(() => undefined);
    setMe(null);
  }, [api]);
  const value = useMemo(() => ({ me, api, reload, login, logout }), [me, api, reload, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
