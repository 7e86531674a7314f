import { Flex, Tag, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { FieldValue } from '../common/FieldValue.js';
import { useT } from '../common/i18n.js';
import { defaults, type KeyValueProps } from './meta.js';

export function entriesOf(v: unknown): [string, unknown][] {
  if (Array.isArray(v)) return v.filter(isRecord).map((r) => [String(r.key ?? r.name ?? ''), r.value]);
  if (isRecord(v)) return Object.entries(v);
  return [];
}

export function KeyValue({ props, data }: WidgetRenderProps<KeyValueProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const entries = entriesOf(p.dataPath ? getPath(data, p.dataPath) : data);
  if (p.sort) entries.sort(([a], [b]) => a.localeCompare(b));
  return (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      {entries.length === 0 ? <Typography.Text type="secondary">{t('No data')}</Typography.Text> : null}
      {p.mode === 'tags' ? (
        <Flex wrap gap={4}>
          {entries.map(([k, v]) => (
            <Tag key={k}>{`${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`}</Tag>
          ))}
        </Flex>
      ) : (
        <dl style={{ display: 'grid', gridTemplateColumns: 'minmax(120px, max-content) 1fr', columnGap: 16, rowGap: 4, margin: 0 }}>
          {entries.map(([k, v]) => [
            <dt key={`k-${k}`}>
              <Typography.Text type="secondary">{k}</Typography.Text>
            </dt>,
            <dd key={`v-${k}`} style={{ margin: 0, wordBreak: 'break-all' }}>
              <FieldValue value={v} />
            </dd>,
          ])}
        </dl>
      )}
    </div>
  );
}
