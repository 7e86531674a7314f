import { Button, Result, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { isRecord, withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { defaults, type ErrorStateProps } from './meta.js';

/** {code, message, field} from a platform error body, an Error-like object or a string. */
export function describeError(v: unknown): { code?: string; message: string; field?: string } {
  if (typeof v === 'string') return { message: v };
  if (isRecord(v)) {
    const e = isRecord(v.error) ? v.error : v;
    const details = isRecord(e.details) ? e.details : {};
    return { code: typeof e.code === 'string' ? e.code : undefined, message: String(e.message ?? JSON.stringify(e)), field: typeof details.field === 'string' ? details.field : undefined };
  }
  return { message: v === undefined || v === null ? '' : String(v) };
}

export function ErrorState({ props, data, error, emit }: WidgetRenderProps<ErrorStateProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const e = describeError(p.message ?? error ?? data);
  return (
    <Result
      status="error"
      title={p.title ?? t('Something went wrong')}
      subTitle={
        <span>
          {e.code ? <Typography.Text code>{e.code}</Typography.Text> : null} {e.message}
          {e.field ? (
            <>
              {' '}
              (<Typography.Text code>{e.field}</Typography.Text>)
            </>
          ) : null}
        </span>
      }
      extra={p.showRetry ? <Button onClick={() => emit('retry')}>{t('Retry')}</Button> : undefined}
    />
  );
}
