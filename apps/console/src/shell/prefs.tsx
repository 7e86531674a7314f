// Language and theme, remembered in localStorage.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from './i18n.js';

interface Prefs {
  lang: Lang;
  dark: boolean;
  setLang(l: Lang): void;
  setDark(d: boolean): void;
}
const PrefsContext = createContext<Prefs | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem('sw.lang');
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function PrefsProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [dark, setDarkState] = useState<boolean>(() => {
    const s = localStorage.getItem('sw.theme');
    return s ? s === 'dark' : Boolean(window.matchMedia?.('(prefers-color-scheme: dark)').matches);
  });
  const value = useMemo(
    () => ({
      lang,
      dark,
      setLang(l: Lang) {
        localStorage.setItem('sw.lang', l);
        setLangState(l);
      },
      setDark(d: boolean) {
        localStorage.setItem('sw.theme', d ? 'dark' : 'light');
        setDarkState(d);
      },
    }),
    [lang, dark],
  );
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

export function usePrefs(): Prefs {
  const p = useContext(PrefsContext);
  if (!p) throw new Error('usePrefs outside PrefsProvider');
  return p;
}
