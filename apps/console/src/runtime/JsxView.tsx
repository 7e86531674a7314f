// Renders element descriptions produced by sandboxed JSX templates. Only allow-listed HTML tags
// and components render; event handlers, raw HTML and script URLs never do.
import { createElement, Fragment, useEffect, useState, type ReactNode, type ComponentType } from 'react';
import { Alert, Avatar, Badge, Button, Card, Col, Descriptions, Divider, Empty, Progress, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { evalJsx, useServices, UserCodeError } from './services.js';
import { Icon } from '../shell/icons.js';
import type { ElementDesc } from './sandbox/client.js';

const HTML_TAGS = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'section', 'header', 'footer', 'article', 'figure', 'figcaption', 'label',
]);

function DateTime({ value, format }: { value?: unknown; format?: string }) {
  if (value === undefined || value === null || value === '') return null;
  const d = new Date(typeof value === 'number' && value < 1e12 ? value * 1000 : (value as string | number));
  if (Number.isNaN(d.getTime())) return createElement('span', null, String(value));
  return createElement('span', { title: d.toISOString() }, format === 'date' ? d.toLocaleDateString() : d.toLocaleString());
}

const COMPONENTS: Record<string, ComponentType<any>> = {
  'antd.Alert': Alert,
  'antd.Avatar': Avatar,
  'antd.Badge': Badge,
  'antd.Button': Button,
  'antd.Card': Card,
  'antd.Col': Col,
  'antd.Descriptions': Descriptions,
  'antd.Divider': Divider,
  'antd.Empty': Empty,
  'antd.Progress': Progress,
  'antd.Row': Row,
  'antd.Space': Space,
  'antd.Statistic': Statistic,
  'antd.Tag': Tag,
  'antd.Tooltip': Tooltip,
  'antd.Text': Typography.Text,
  'antd.Title': Typography.Title,
  'antd.Paragraph': Typography.Paragraph,
  'common.DateTime': DateTime,
  'common.AppIcon': ({ name, size }: { name?: string; size?: number }) => createElement(Icon, { name, style: { fontSize: size ?? 40, color: '#1677ff' } }),
};
const ALIASES: Record<string, string> = { Card: 'antd.Card', Tag: 'antd.Tag', Row: 'antd.Row', Col: 'antd.Col', Space: 'antd.Space', Badge: 'antd.Badge', Avatar: 'antd.Avatar', Statistic: 'antd.Statistic', Button: 'antd.Button', Alert: 'antd.Alert', Progress: 'antd.Progress', Divider: 'antd.Divider', Tooltip: 'antd.Tooltip', DateTime: 'common.DateTime' };

export const JSX_ALLOWED = [...HTML_TAGS, ...Object.keys(COMPONENTS)];

function parseStyle(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const decl of s.split(';')) {
    const i = decl.indexOf(':');
    if (i < 0) continue;
    const k = decl.slice(0, i).trim().replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const v = decl.slice(i + 1).trim();
    if (k && !/url\s*\(|expression\s*\(/i.test(v)) out[k] = v;
  }
  return out;
}

/** No url()/expression() in styles: they could load from anywhere or run script (old engines). */
function safeStyle(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if ((typeof v === 'string' && !/url\s*\(|expression\s*\(/i.test(v)) || typeof v === 'number') out[k] = v;
  return out;
}

function safeUrl(u: unknown): string | undefined {
  if (typeof u !== 'string') return undefined;
  const t = u.trim().replace(/[\u0000-\u001f\s]+/g, '');
  if (/^(javascript|vbscript|data):/i.test(t) && !/^data:image\//i.test(t)) return undefined;
  return u;
}

function cleanProps(type: string, props: Record<string, unknown> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    if (/^on/i.test(k) || k === 'dangerouslySetInnerHTML' || k === 'ref' || k === 'srcdoc' || k === 'srcDoc' || k === 'formAction') continue;
    if (k === 'class') out.className = v;
    else if (k === 'style') out.style = typeof v === 'string' ? parseStyle(v) : v && typeof v === 'object' ? safeStyle(v as Record<string, unknown>) : undefined;
    else if (k === 'href' || k === 'src' || k === 'action') {
      const u = safeUrl(v);
      if (u !== undefined) out[k] = u;
    } else out[k] = v;
  }
  if (type === 'a' && out.target === '_blank') out.rel = 'noopener noreferrer';
  return out;
}

export function renderDesc(node: unknown, key?: number): ReactNode {
  if (node === null || node === undefined || typeof node === 'boolean') return null;
  if (typeof node === 'string' || typeof node === 'number') return node;
  if (Array.isArray(node)) return node.map((n, i) => renderDesc(n, i));
  if (typeof node !== 'object') return null;
  const d = node as ElementDesc;
  if (typeof d.type !== 'string') return null;
  const children = (d.children ?? []).map((c, i) => renderDesc(c, i));
  if (d.type === 'Fragment') return createElement(Fragment, { key }, ...children);
  const name = ALIASES[d.type] ?? d.type;
  const comp = COMPONENTS[name];
  const props = { ...cleanProps(name, d.props), key };
  if (comp) return createElement(comp, props, ...(children.length ? children : []));
  if (HTML_TAGS.has(name)) {
    if (name === 'br' || name === 'hr' || name === 'img') return createElement(name, props);
    return createElement(name, props, ...children);
  }
  return createElement('span', { key, className: 'sw-jsx-denied', title: `component "${d.type}" is not in the allow-list` }, `[${d.type}]`, ...children);
}

/** Evaluates a JSX template in the sandbox and renders it; errors show in place. */
export function JsxView({ source, scope, ns }: { source: string; scope: Record<string, unknown>; ns: string }) {
  const svc = useServices();
  const [state, setState] = useState<{ desc?: ElementDesc; error?: string }>({});
  const scopeKey = JSON.stringify(scope);
  useEffect(() => {
    let live = true;
    evalJsx(svc, source, scope, { ns, limits: { timeoutMs: 500 } }).then(
      (desc) => live && setState({ desc }),
      (e) => live && setState({ error: e instanceof UserCodeError ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // scope is compared by value (scopeKey)
  }, [source, scopeKey, ns, svc]);
  if (state.error) return createElement(Typography.Text, { type: 'danger', className: 'sw-jsx-error' }, `template error: ${state.error}`);
  if (!state.desc) return null;
  // in-app links navigate without reloading the console
  const onClick = (e: React.MouseEvent) => {
    const a = (e.target as HTMLElement).closest?.('a');
    const href = a?.getAttribute('href');
    if (!a || !href || a.target === '_blank' || e.metaKey || e.ctrlKey || !href.startsWith('/') || href.startsWith('//')) return;
    e.preventDefault();
    svc.navigate(href);
  };
  return createElement('span', { className: 'sw-jsx', onClick, style: { display: 'contents' } }, renderDesc(state.desc));
}
