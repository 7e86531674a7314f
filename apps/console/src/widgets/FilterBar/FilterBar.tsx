import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Form, Space } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { checkFields } from '../Form/Form.js';
import { fieldOptions, fieldVisible } from '../Form/fields.js';
import { fieldInput, fieldRules, fromFormValues, namePath, toFormValues, valuePropName } from '../Form/FormFields.js';
import { defaults, type FilterBarProps } from './meta.js';

export function FilterBar({ props, data, emit, setOutput }: WidgetRenderProps<FilterBarProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const [form] = Form.useForm();
  const configError = checkFields(p.fields);
  const fieldsKey = JSON.stringify(p.fields ?? null);
  const fields = useMemo(() => (configError ? [] : p.fields), [configError, fieldsKey]);
  const initialKey = JSON.stringify(p.initialValues ?? null);
  const initial = useMemo(() => toFormValues(fields, p.initialValues ?? {}), [fields, initialKey]);
  const [values, setValues] = useState<Record<string, unknown>>(initial);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const publish = (all: Record<string, unknown>) => {
    const out = fromFormValues(fields, all);
    setOutput(out);
    emit('change', out);
  };

  // The initial filter values are an output too: dependent tables need them on first load.
  useEffect(() => {
    setOutput(fromFormValues(fields, form.getFieldsValue(true) as Record<string, unknown>));
    return () => clearTimeout(timer.current);
  }, [fields]);

  if (configError) return <ErrorBox title="FilterBar configuration" message={configError} />;

  return (
    <Form
      form={form}
      layout="inline"
      initialValues={initial}
      preserve={false}
      onFinish={publish}
      onValuesChange={(_c, all) => {
        setValues(all);
        if (!p.autoSubmit) return;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          form.validateFields().then(publish, () => undefined);
        }, p.debounceMs);
      }}
      style={{ rowGap: 8 }}
    >
      {fields.map((f) =>
        fieldVisible(f, values) ? (
          <Form.Item key={f.name} name={namePath(f.name)} label={f.label ?? f.name} rules={fieldRules(f, t)} valuePropName={valuePropName(f)} style={{ minWidth: f.type === 'dateRange' ? 320 : 200 }}>
            {fieldInput(f, fieldOptions(f, data, values), false)}
          </Form.Item>
        ) : null,
      )}
      <Space>
        {p.autoSubmit ? null : (
          <Button type="primary" htmlType="submit">
            {t('Query')}
          </Button>
        )}
        {p.showReset ? (
          <Button
            onClick={() => {
              form.resetFields();
              const all = form.getFieldsValue(true) as Record<string, unknown>;
              setValues(all);
              publish(all);
              emit('reset');
            }}
          >
            {t('Reset')}
          </Button>
        ) : null}
      </Space>
    </Form>
  );
}
