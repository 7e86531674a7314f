// Shell and runtime strings in English and Simplified Chinese. Page texts come from the page
// definitions themselves (title/titleZh, label/labelZh).
export type Lang = 'en' | 'zh';

const en = {
  'app.name': 'SREWorks',
  'common.ok': 'OK',
  'common.cancel': 'Cancel',
  'common.submit': 'Submit',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'form.required': '{field} is required',
  'form.pattern': 'must match {pattern}',
  'login.title': 'Sign in to SREWorks',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed: {message}',
  'shell.search': 'Search apps, pages, menus…',
  'shell.desktop': 'Desktop',
  'shell.tokens': 'API tokens',
  'shell.password': 'Change password',
  'shell.logout': 'Sign out',
  'shell.theme.dark': 'Dark theme',
  'shell.theme.light': 'Light theme',
  'shell.language': '中文',
  'shell.passwordChanged': 'Password changed',
  'shell.current': 'Current password',
  'shell.new': 'New password',
  'shell.notFound': 'Nothing here: {path}',
  'shell.noApp': 'No app "{app}"',
  'shell.noPage': 'The app has no page "{page}"',
  'runtime.waiting': 'Waiting for {params}',
  'runtime.nodeError': 'This part of the page failed',
  'runtime.unknownWidget': 'Unknown widget type "{type}"',
  'runtime.unsupported': 'Not supported',
  'runtime.pageInvalid': 'This page definition is invalid',
};
type Key = keyof typeof en;
const zh: Record<Key, string> = {
  'app.name': 'SREWorks',
  'common.ok': '确定',
  'common.cancel': '取消',
  'common.submit': '提交',
  'common.retry': '重试',
  'common.loading': '加载中…',
  'form.required': '请填写{field}',
  'form.pattern': '格式须匹配 {pattern}',
  'login.title': '登录 SREWorks',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '登录失败：{message}',
  'shell.search': '搜索应用、页面、菜单…',
  'shell.desktop': '桌面',
  'shell.tokens': 'API 令牌',
  'shell.password': '修改密码',
  'shell.logout': '退出登录',
  'shell.theme.dark': '深色主题',
  'shell.theme.light': '浅色主题',
  'shell.language': 'English',
  'shell.passwordChanged': '密码已修改',
  'shell.current': '当前密码',
  'shell.new': '新密码',
  'shell.notFound': '页面不存在：{path}',
  'shell.noApp': '没有应用“{app}”',
  'shell.noPage': '该应用没有页面“{page}”',
  'runtime.waiting': '等待参数 {params}',
  'runtime.nodeError': '页面的这一部分出错了',
  'runtime.unknownWidget': '未知组件类型“{type}”',
  'runtime.unsupported': '暂不支持',
  'runtime.pageInvalid': '页面定义无效',
};

export function t(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  const s = (lang === 'zh' ? zh : en)[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? `{${k}}`));
}

export function pick(lang: Lang, en: string | undefined, zh: string | undefined): string {
  return (lang === 'zh' && zh) || en || zh || '';
}
