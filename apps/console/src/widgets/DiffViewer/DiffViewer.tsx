import { useMemo, useState, type CSSProperties } from 'react';
import { Flex, Segmented, Typography, theme } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { diffRows, diffStats, diffText, splitPairs, withGaps, type DiffRow } from './diff.js';
import { defaults, type DiffViewerProps } from './meta.js';

function side(data: unknown, field: string | undefined, names: string[]): unknown {
  if (field) return getPath(data, field);
  if (!isRecord(data)) return undefined;
  for (const n of names) if (n in data) return data[n];
  return undefined;
}

export function DiffViewer({ props, data }: WidgetRenderProps<DiffViewerProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const { token } = theme.useToken();
  const [mode, setMode] = useState(p.mode);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const a = diffText(p.oldValue ?? side(data, p.oldField, ['old', 'before', 'left', 'previous']), p.language);
  const b = diffText(p.newValue ?? side(data, p.newField, ['new', 'after', 'right', 'current']), p.language);
  const rows = useMemo(() => diffRows(a, b), [a, b]);
  const items = useMemo(() => withGaps(rows, p.context, expanded), [rows, p.context, expanded]);
  const stats = diffStats(rows);

  const bg = { add: token.colorSuccessBg, del: token.colorErrorBg, same: 'transparent' } as const;
  const cell: CSSProperties = { padding: '0 8px', whiteSpace: 'pre', fontFamily: token.fontFamilyCode, fontSize: token.fontSizeSM, lineHeight: '20px' };
  const num: CSSProperties = { ...cell, color: token.colorTextTertiary, textAlign: 'right', userSelect: 'none', width: 1 };
  const mark = (r: DiffRow | undefined) => (r?.kind === 'add' ? '+' : r?.kind === 'del' ? '-' : ' ');
  const gapRow = (g: { count: number; start: number }, span: number) => (
    <tr key={`gap-${g.start}`}>
      <td colSpan={span} style={{ ...cell, background: token.colorFillQuaternary, color: token.colorTextSecondary, cursor: 'pointer' }} onClick={() => setExpanded(new Set([...expanded, g.start]))}>
        ⋯ {g.count} {t('Unchanged').toLowerCase()} {t('lines')}
      </td>
    </tr>
  );

  return (
    <div>
      <Flex justify="space-between" align="center" style={{ marginBottom: 4 }} gap={8} wrap>
        <Typography.Text strong>{p.title ?? `${p.oldLabel} → ${p.newLabel}`}</Typography.Text>
        <Flex gap={8} align="center">
          <Typography.Text type="success">+{stats.added}</Typography.Text>
          <Typography.Text type="danger">-{stats.removed}</Typography.Text>
          <Segmented size="small" value={mode} onChange={(v) => setMode(v as 'unified' | 'split')} options={[{ value: 'unified', label: t('Unified') }, { value: 'split', label: t('Split') }]} />
        </Flex>
      </Flex>
      <div style={{ maxHeight: p.maxHeight, overflow: 'auto', color: token.colorText, border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadius }}>
        {stats.added + stats.removed === 0 ? (
          <Typography.Text type="secondary" style={{ display: 'block', padding: 8 }}>
            {t('Unchanged')}
          </Typography.Text>
        ) : (
          <table style={{ borderCollapse: 'collapse', width: '100%' }} data-testid="diff">
            <tbody>
              {mode === 'unified'
                ? items.map((r, i) =>
                    r.kind === 'gap' ? (
                      gapRow(r, 4)
                    ) : (
                      <tr key={i} data-kind={r.kind} style={{ background: bg[r.kind] }}>
                        <td style={num}>{r.oldNo ?? ''}</td>
                        <td style={num}>{r.newNo ?? ''}</td>
                        <td style={{ ...cell, width: 1, userSelect: 'none' }}>{mark(r)}</td>
                        <td style={cell}>{r.text}</td>
                      </tr>
                    ),
                  )
                : splitPairs(items).map((pair, i) =>
                    'kind' in pair ? (
                      gapRow(pair, 4)
                    ) : (
                      <tr key={i}>
                        <td style={{ ...num, background: bg[pair[0]?.kind ?? 'same'] }}>{pair[0]?.oldNo ?? ''}</td>
                        <td style={{ ...cell, width: '50%', background: bg[pair[0]?.kind ?? 'same'] }}>{pair[0]?.text ?? ''}</td>
                        <td style={{ ...num, background: bg[pair[1]?.kind ?? 'same'] }}>{pair[1]?.newNo ?? ''}</td>
                        <td style={{ ...cell, width: '50%', background: bg[pair[1]?.kind ?? 'same'] }}>{pair[1]?.text ?? ''}</td>
                      </tr>
                    ),
                  )}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
