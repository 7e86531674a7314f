import { createElement, Fragment, isValidElement, type ComponentType, type ReactNode } from 'react';
import { Alert, Avatar, Badge, Button, Card, Col, Divider, Empty, Flex, Progress, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { formatBytes, formatDateTime, formatDuration, formatRelative, statusOf } from '../common/format.js';

/**
 * An element tree as the runtime hands it over after evaluating a $jsx template in the sandbox:
 * plain JSON, so it crossed the worker boundary and cannot carry functions. Only allow-listed
 * element types are rendered; anything else becomes a visible placeholder.
 */
export type ElementNode =
  | string
  | number
  | boolean
  | null
  | undefined
  | ElementNode[]
  | { type: string; props?: Record<string, unknown>; children?: ElementNode };

export interface ElementContext {
  /** `onClick: {emit: "name", payload}` in a tree fires this. */
  emit?: (event: string, payload?: unknown) => void;
}

const HTML_TAGS = new Set(
  'div span p b strong i em u s code pre ul ol li br hr h1 h2 h3 h4 h5 h6 a table thead tbody tfoot tr td th caption small sup sub blockquote img label section header footer article kbd mark del ins abbr dl dt dd figure figcaption'.split(
    ' ',
  ),
);

function DateTime({ value, relative }: { value?: unknown; relative?: boolean }) {
  return createElement('span', { title: formatDateTime(value) }, relative ? formatRelative(value) : formatDateTime(value));
}
function StatusDot({ value, text, map }: { value?: unknown; text?: string; map?: Record<string, string> }) {
  return createElement(Badge, { status: statusOf(value, map), text: text ?? String(value ?? '') });
}
function Bytes({ value }: { value?: unknown }) {
  return createElement('span', null, formatBytes(Number(value)));
}
function Duration({ value }: { value?: unknown }) {
  return createElement('span', null, formatDuration(Number(value)));
}
function Tags({ value, color }: { value?: unknown; color?: string }) {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : String(value).split(',');
  return createElement(Fragment, null, ...list.map((v, i) => createElement(Tag, { key: i, color }, String(v))));
}

const COMPONENTS: Record<string, ComponentType<any>> = {
  Alert,
  Avatar,
  Badge,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Flex,
  Progress,
  Row,
  Space,
  Statistic,
  Tag,
  Tooltip,
  Text: Typography.Text,
  Title: Typography.Title,
  Paragraph: Typography.Paragraph,
  Link: Typography.Link,
  'Typography.Text': Typography.Text,
  'Typography.Title': Typography.Title,
  'Typography.Paragraph': Typography.Paragraph,
  'Typography.Link': Typography.Link,
  DateTime,
  StatusBadge: StatusDot,
  Bytes,
  Duration,
  Tags,
  AntdTags: Tags,
};

/** Element type names a template may use (HTML tags, antd and common components). */
export const allowedElementTypes: readonly string[] = [...HTML_TAGS, ...Object.keys(COMPONENTS)];

// Props whose value is itself content (antd takes ReactNode there).
const NODE_PROPS = new Set(['title', 'description', 'extra', 'message', 'prefix', 'suffix', 'label', 'content', 'icon', 'footer', 'avatar']);
const SAFE_URL = /^(https?:|mailto:|\/|#|\?|\.{0,2}\/)|^[^:]*$/i;
const MAX_DEPTH = 48;
const MAX_NODES = 20_000;

function resolveType(type: string): string | ComponentType<any> | undefined {
  const name = type.replace(/^(antd|common)\./, '');
  if (HTML_TAGS.has(type)) return type;
  return COMPONENTS[name];
}

function isElementDesc(v: unknown): v is { type: string; props?: Record<string, unknown>; children?: ElementNode } {
  // React elements come only from trusted runtime code (a $$typeof symbol cannot cross JSON).
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isValidElement(v) && typeof (v as { type?: unknown }).type === 'string';
}

function safeStyle(style: unknown): Record<string, string | number> | undefined {
  if (typeof style !== 'object' || style === null) return undefined;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(style)) {
    // url() could load remote content; expression() is legacy script.
    if (typeof v === 'number' || (typeof v === 'string' && !/url\s*\(|expression\s*\(/i.test(v))) out[k] = v;
  }
  return out;
}

interface Walk {
  ctx: ElementContext;
  count: number;
}

function cleanProps(raw: Record<string, unknown> | undefined, w: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (k === 'dangerouslySetInnerHTML' || k === 'ref' || k === 'children') continue;
    if (/^on[A-Z]/.test(k)) {
      // The only handler a JSON tree can express is "emit this event".
      if (typeof v === 'object' && v !== null && typeof (v as { emit?: unknown }).emit === 'string') {
        const { emit: name, payload } = v as { emit: string; payload?: unknown };
        out[k] = () => w.ctx.emit?.(name, payload);
      }
      continue;
    }
    if ((k === 'href' || k === 'src' || k === 'action' || k === 'formAction') && typeof v === 'string') {
      if (SAFE_URL.test(v.trim())) out[k] = v;
      continue;
    }
    if (k === 'style') {
      out.style = safeStyle(v);
      continue;
    }
    if (typeof v === 'function') continue;
    out[k] = NODE_PROPS.has(k) && (isElementDesc(v) || Array.isArray(v)) ? walk(v as ElementNode, w, depth + 1) : v;
  }
  if (out.target === '_blank') out.rel = 'noopener noreferrer';
  return out;
}

function walk(node: ElementNode, w: Walk, depth: number, key?: string | number): ReactNode {
  if (++w.count > MAX_NODES) throw new Error(`element tree has more than ${MAX_NODES} nodes`);
  if (depth > MAX_DEPTH) throw new Error(`element tree is deeper than ${MAX_DEPTH} levels`);
  if (node === null || node === undefined || typeof node === 'boolean') return null;
  if (typeof node === 'string' || typeof node === 'number') return node;
  if (Array.isArray(node)) return node.map((n, i) => walk(n, w, depth + 1, i));
  if (isValidElement(node)) return node;
  if (!isElementDesc(node)) return JSON.stringify(node);
  const type = resolveType(node.type);
  if (!type) {
    return createElement(Tag, { key, color: 'warning' }, `Unknown element <${node.type}>`);
  }
  const props = cleanProps(node.props, w, depth);
  if (key !== undefined && props.key === undefined) props.key = key;
  const children = node.children ?? (node.props?.children as ElementNode | undefined);
  if (type === 'br' || type === 'hr' || type === 'img') return createElement(type, props);
  const kids = Array.isArray(children) ? children.map((c, i) => walk(c, w, depth + 1, i)) : [walk(children, w, depth + 1)];
  return createElement(type, props, ...kids);
}

/** Render an evaluated template tree; throws on trees beyond the size/depth limits. */
export function renderElementTree(node: ElementNode, ctx: ElementContext = {}): ReactNode {
  return walk(node, { ctx, count: 0 }, 0);
}

export { isElementDesc };
