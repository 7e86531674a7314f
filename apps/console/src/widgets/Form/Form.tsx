import { useEffect, useMemo, useState } from 'react';
import { Button, Col, Form as AntForm, Row, Space, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { getPath, isRecord, withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { fieldOptions, fieldVisible, isEmpty, validatePattern, type FieldDef } from './fields.js';
import { fieldInput, fieldRules, fromFormValues, namePath, toFormValues, valuePropName } from './FormFields.js';
import { defaults, type FormProps } from './meta.js';

/** A config problem (bad regex, duplicate name) named by its field path, or undefined. */
export function checkFields(fields: unknown): string | undefined {
  if (!Array.isArray(fields)) return 'fields: must be an array';
  const seen = new Set<string>();
  for (const [i, f] of (fields as FieldDef[]).entries()) {
    if (!f || typeof f.name !== 'string' || !f.name) return `fields[${i}].name: required`;
    if (seen.has(f.name)) return `fields[${i}].name: duplicate "${f.name}"`;
    seen.add(f.name);
    try {
      validatePattern(f);
    } catch (e) {
      return `fields[${i}].pattern: ${(e as Error).message}`;
    }
  }
  return undefined;
}

export function Form({ props, data, error, loading, emit, setOutput }: WidgetRenderProps<FormProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const [form] = AntForm.useForm();
  const configError = checkFields(p.fields);
  // Keyed by content: the runtime may pass equal but new objects on every render, and
  // re-seeding the form then would wipe what the user typed.
  const fieldsKey = JSON.stringify(p.fields ?? null);
  const fields = useMemo(() => (configError ? [] : p.fields), [configError, fieldsKey]);
  const fromData = p.valuesPath !== undefined ? getPath(data, p.valuesPath) : undefined;
  const initialKey = JSON.stringify([p.initialValues ?? null, isRecord(fromData) ? fromData : null]);
  const initial = useMemo(
    () => toFormValues(fields, { ...(p.initialValues ?? {}), ...(isRecord(fromData) ? fromData : {}) }),
    [fields, initialKey],
  );
  // Current values drive visibleWhen/dependsOn; kept here so each change re-renders.
  const [watched, setWatched] = useState<Record<string, unknown>>(initial);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    form.setFieldsValue(initial);
    setWatched(form.getFieldsValue(true) as Record<string, unknown>);
  }, [form, initial]);

  if (error) return <ErrorBox message={error} />;
  if (configError) return <ErrorBox title="Form configuration" message={configError} />;

  const onValuesChange = (changed: Record<string, unknown>) => {
    const changedKeys = Object.keys(changed);
    for (const f of fields) {
      // A dependent field's old value belongs to the previous parent choice.
      if (f.dependsOn?.some((d) => changedKeys.includes(namePath(d)[0]))) form.setFieldValue(namePath(f.name), undefined);
    }
    setWatched(form.getFieldsValue(true) as Record<string, unknown>);
    emit('change', changed);
  };

  const onFinish = (values: Record<string, unknown>) => {
    setSubmitting(true);
    try {
      const out = fromFormValues(fields, values);
      setOutput(out);
      emit('submit', out);
    } finally {
      setSubmitting(false);
    }
  };

  const span = Math.floor(24 / p.columns);
  return (
    <div>
      {p.title ? <Typography.Title level={5}>{p.title}</Typography.Title> : null}
      <AntForm form={form} layout={p.layout} initialValues={initial} onFinish={onFinish} onValuesChange={onValuesChange} disabled={p.disabled || loading} preserve={false}>
        <Row gutter={16}>
          {fields.map((f) => {
            if (!fieldVisible(f, watched)) return null;
            const depEmpty = f.dependsOn?.some((d) => isEmpty(getPath(watched, d))) ?? false;
            return (
              <Col key={f.name} span={p.layout === 'inline' ? undefined : (f.span ?? span)}>
                <AntForm.Item
                  name={namePath(f.name)}
                  label={f.label ?? f.name}
                  tooltip={f.help}
                  rules={fieldRules(f, t)}
                  valuePropName={valuePropName(f)}
                >
                  {fieldInput(f, fieldOptions(f, data, watched), depEmpty)}
                </AntForm.Item>
              </Col>
            );
          })}
        </Row>
        {p.hideButtons ? null : (
          <Space>
            <Button type="primary" htmlType="submit" loading={submitting}>
              {p.submitText ?? t('Submit')}
            </Button>
            {p.showReset ? (
              <Button
                onClick={() => {
                  form.resetFields();
                  setWatched(form.getFieldsValue(true) as Record<string, unknown>);
                  emit('reset');
                }}
              >
                {t('Reset')}
              </Button>
            ) : null}
          </Space>
        )}
      </AntForm>
    </div>
  );
}
