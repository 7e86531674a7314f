import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button, Flex, Input, Switch, Typography, theme } from 'antd';
import { VerticalAlignBottomOutlined } from '@ant-design/icons';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { formatDateTime } from '../common/format.js';
import { useT } from '../common/i18n.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { matchIndexes, toLines, visibleRange, type LogLine } from './logs.js';
import { defaults, type LogViewerProps } from './meta.js';

const LINE_HEIGHT = 20;

function highlight(text: string, q: string, mark: string): ReactNode {
  if (!q) return text;
  const lower = text.toLowerCase();
  const ql = q.toLowerCase();
  const parts: ReactNode[] = [];
  let i = 0;
  let k = 0;
  for (let j = lower.indexOf(ql); j !== -1; j = lower.indexOf(ql, i)) {
    parts.push(text.slice(i, j), <mark key={k++} style={{ background: mark, padding: 0 }}>{text.slice(j, j + q.length)}</mark>);
    i = j + q.length;
  }
  parts.push(text.slice(i));
  return parts.map((p, n) => <Fragment key={`f${n}`}>{p}</Fragment>);
}

export function LogViewer({ props, data, error }: WidgetRenderProps<LogViewerProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const { token } = theme.useToken();
  const [follow, setFollow] = useState(p.follow);
  const [wrap, setWrap] = useState(p.wrap);
  const [query, setQuery] = useState('');
  const [onlyMatches, setOnlyMatches] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  const all = useMemo(() => {
    const l = toLines(data, p.dataPath);
    return l.length > p.maxLines ? l.slice(l.length - p.maxLines) : l;
  }, [data, p.dataPath, p.maxLines]);
  const matches = useMemo(() => matchIndexes(all, query), [all, query]);
  const lines: LogLine[] = useMemo(() => (onlyMatches && query ? matches.map((i) => all[i]) : all), [onlyMatches, query, matches, all]);

  // Follow: stick to the bottom whenever lines arrive.
  useLayoutEffect(() => {
    const el = box.current;
    if (follow && el) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [lines, follow, wrap]);
  useEffect(() => setFollow(p.follow), [p.follow]);

  if (error) return <ErrorBox message={error} />;

  const viewport = p.height;
  // Wrapped lines have unknown heights, so wrap mode renders every line (capped by maxLines).
  const [first, last] = wrap ? [0, lines.length] : visibleRange(scrollTop, viewport, LINE_HEIGHT, lines.length);
  const levelColor = { error: token.colorErrorText, warn: token.colorWarningText, info: undefined, debug: token.colorTextTertiary } as const;
  const gutter = String(lines.length).length;

  return (
    <div>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 6 }}>
        {p.title ? <Typography.Text strong>{p.title}</Typography.Text> : null}
        <Input.Search allowClear size="small" placeholder={t('Search')} style={{ width: 220 }} onChange={(e) => setQuery(e.target.value)} />
        {query ? <Typography.Text type="secondary">{matches.length} / {all.length}</Typography.Text> : null}
        <Flex gap={4} align="center">
          <Switch size="small" checked={onlyMatches} onChange={setOnlyMatches} aria-label={t('Only matches')} />
          <Typography.Text type="secondary">{t('Only matches')}</Typography.Text>
        </Flex>
        <Flex gap={4} align="center">
          <Switch size="small" checked={wrap} onChange={setWrap} aria-label={t('Wrap')} />
          <Typography.Text type="secondary">{t('Wrap')}</Typography.Text>
        </Flex>
        <Button size="small" type={follow ? 'primary' : 'default'} icon={<VerticalAlignBottomOutlined />} onClick={() => setFollow(!follow)} aria-pressed={follow}>
          {t('Follow')}
        </Button>
      </Flex>
      <div
        ref={box}
        data-testid="log-lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          // Scrolling up pauses follow; reaching the bottom resumes it.
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT;
          if (follow !== atBottom) setFollow(atBottom);
        }}
        style={{
          height: viewport,
          overflow: 'auto',
          fontFamily: token.fontFamilyCode,
          fontSize: token.fontSizeSM,
          lineHeight: `${LINE_HEIGHT}px`,
          color: token.colorText,
          background: token.colorFillQuaternary,
          border: `1px solid ${token.colorBorderSecondary}`,
          borderRadius: token.borderRadius,
        }}
      >
        <div style={{ height: wrap ? undefined : lines.length * LINE_HEIGHT, position: 'relative', minWidth: 'max-content' }}>
          <div style={{ position: wrap ? 'static' : 'absolute', top: first * LINE_HEIGHT, left: 0, right: 0 }}>
            {lines.slice(first, last).map((l, i) => (
              <div key={first + i} data-level={l.level} style={{ whiteSpace: wrap ? 'pre-wrap' : 'pre', wordBreak: wrap ? 'break-all' : undefined, color: l.level ? levelColor[l.level] : undefined, padding: '0 8px', minHeight: LINE_HEIGHT }}>
                <span style={{ color: token.colorTextQuaternary, userSelect: 'none', display: 'inline-block', minWidth: `${gutter + 1}ch` }}>{first + i + 1}</span>{' '}
                {p.showTimestamps && l.ts !== undefined ? <span style={{ color: token.colorTextTertiary }}>{formatDateTime(l.ts)} </span> : null}
                {p.showStream && l.stream ? <span style={{ color: token.colorTextTertiary }}>{l.stream} </span> : null}
                {highlight(l.text, query, token.colorWarningBg)}
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
