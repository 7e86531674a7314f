// Actions bound to widget events and toolbar buttons: forms in a drawer or modal, API calls,
// confirmations, refresh, navigation, downloads, param updates and messages. A failing action
// stops its chain and says why; a form that fails to submit stays open with the error.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, DatePicker } from 'antd';
import { renderTemplate, renderText, resolveTemplates, type ActionDef, type FieldDef, type OpenFormAction } from '@sreworks/lowcode/browser';
import { evalExpression, runFunction, useServices, type RuntimeServices } from './services.js';
import { loadDataSource } from './data.js';
import { t } from '../shell/i18n.js';

export interface ActionHost {
  svc: RuntimeServices;
  ns: string;
  params: Record<string, unknown>;
  setParams(patch: Record<string, unknown>): void;
  refresh(targets?: string[]): void;
  /** shows a dialog; resolves with the form values, or undefined when cancelled. */
  openForm(a: OpenFormAction, scope: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
  confirm(title: string, content: string | undefined, danger: boolean): Promise<boolean>;
}

function text(v: unknown, scope: Record<string, unknown>): string {
  if (typeof v === 'string') return renderText(v, scope);
  if (v && typeof v === 'object' && '$tpl' in v) return renderText(String((v as { $tpl: string }).$tpl), scope);
  return v === undefined || v === null ? '' : String(v);
}

function urlOf(v: string | { $tpl: string }, scope: Record<string, unknown>): string {
  return renderText(typeof v === 'string' ? v : v.$tpl, scope, { uri: true });
}

function toCsv(rows: unknown): string {
  const list = Array.isArray(rows) ? rows : rows && typeof rows === 'object' && Array.isArray((rows as any).items) ? (rows as any).items : [rows];
  const cols = [...new Set(list.flatMap((r: any) => (r && typeof r === 'object' ? Object.keys(r) : [])))] as string[];
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...list.map((r: any) => cols.map((c) => cell(r?.[c])).join(','))].join('\n');
}

function saveBlob(content: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Runs actions in order; returns false when one failed or was cancelled. */
export async function runActions(host: ActionHost, actions: readonly ActionDef[] | undefined, locals: Record<string, unknown> = {}): Promise<boolean> {
  const { svc } = host;
  for (const a of actions ?? []) {
    const scope = { ...host.params, params: host.params, nodeParams: host.params, ...locals };
    try {
      if (a.when && !(await evalExpression(svc, a.when.$expr, scope, { ns: host.ns }))) continue;
      switch (a.kind) {
        case 'openForm': {
          const values = await host.openForm(a, scope);
          if (!values) return false;
          const { __result: result, ...fields } = values;
          if (!(await runActions(host, a.then, { ...locals, values: fields, result }))) return false;
          break;
        }
        case 'callApi': {
          const result = await svc.api.request(a.method ?? 'POST', urlOf(a.url, scope), a.body === undefined ? undefined : resolveTemplates(a.body, scope));
          if (a.resultParam) host.setParams({ [a.resultParam]: result });
          if (a.successMessage) svc.notify('success', text(a.successMessage, { ...scope, result }));
          if (!(await runActions(host, a.then, { ...locals, result }))) return false;
          break;
        }
        case 'confirm': {
          const ok = await host.confirm(text(a.title, scope), a.content === undefined ? undefined : text(a.content, scope), Boolean(a.danger));
          if (!ok) return false;
          if (!(await runActions(host, a.then, locals))) return false;
          break;
        }
        case 'refresh':
          host.refresh(a.targets);
          break;
        case 'navigate': {
          let to = urlOf(a.to, scope);
          if (a.params) {
            const p = resolveTemplates(a.params, scope) as Record<string, unknown>;
            const qs = new URLSearchParams();
            for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') qs.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
            const q = qs.toString();
            if (q) to += (to.includes('?') ? '&' : '?') + q;
          }
          svc.navigate(to, { newTab: a.newTab });
          break;
        }
        case 'download': {
          const filename = text(a.filename, scope);
          const content = a.url ? await svc.api.request('GET', urlOf(a.url, scope)) : resolveTemplates(a.content, scope);
          const format = a.format ?? (filename.endsWith('.csv') ? 'csv' : filename.endsWith('.json') ? 'json' : 'text');
          if (format === 'csv') saveBlob(toCsv(content), filename, 'text/csv');
          else if (format === 'json') saveBlob(JSON.stringify(content, null, 2), filename, 'application/json');
          else saveBlob(typeof content === 'string' ? content : JSON.stringify(content, null, 2), filename, 'text/plain');
          break;
        }
        case 'setParams':
          host.setParams(resolveTemplates(a.params, scope) as Record<string, unknown>);
          break;
        case 'message':
          svc.notify(a.level ?? 'info', text(a.text, scope));
          break;
      }
    } catch (e) {
      svc.notify('error', `${a.kind}: ${(e as Error).message ?? String(e)}`);
      return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------------------------- dialogs

export interface DialogState {
  id: number;
  kind: 'form' | 'confirm';
  action?: OpenFormAction;
  scope: Record<string, unknown>;
  title: string;
  content?: string;
  danger?: boolean;
  resolve(v: unknown): void;
}

/** Form.Item injects value/onChange/id into its child: they are passed on to the input. */
function FieldInput({ field, svc, ns, scope, ...control }: { field: FieldDef; svc: RuntimeServices; ns: string; scope: Record<string, unknown>; [k: string]: unknown }) {
  const [remote, setRemote] = useState<{ value: unknown; label: string }[] | undefined>();
  const source = field.optionsFrom;
  useEffect(() => {
    if (!source || typeof source === 'string') return;
    let live = true;
    loadDataSource(svc, source, scope, ns).then(
      (d) => {
        const list = Array.isArray(d) ? d : d && typeof d === 'object' && Array.isArray((d as any).items) ? (d as any).items : [];
        if (live) setRemote(list.map((o: any) => (o && typeof o === 'object' && 'value' in o ? { value: o.value, label: String(o.label ?? o.value) } : { value: o, label: String(o) })));
      },
      () => live && setRemote([]),
    );
    return () => {
      live = false;
    };
    // options load once per dialog
  }, [source, svc, ns]);
  const options = (field.options ?? remote ?? []).map((o) => ({ value: o.value as string, label: o.label }));
  switch (field.kind) {
    case 'textarea':
      return <Input.TextArea {...control} rows={4} placeholder={field.placeholder} />;
    case 'password':
      return <Input.Password {...control} placeholder={field.placeholder} autoComplete="new-password" />;
    case 'number':
      return <InputNumber {...control} style={{ width: '100%' }} min={field.min} max={field.max} placeholder={field.placeholder} />;
    case 'select':
      return <Select {...control} options={options} placeholder={field.placeholder} showSearch optionFilterProp="label" loading={Boolean(source) && !remote} allowClear />;
    case 'multiselect':
      return <Select {...control} mode="multiple" options={options} placeholder={field.placeholder} loading={Boolean(source) && !remote} />;
    case 'switch':
      return <Switch {...control} />;
    case 'date':
      return <DatePicker {...control} style={{ width: '100%' }} />;
    case 'json':
    case 'yaml':
      return <Input.TextArea {...control} rows={8} style={{ fontFamily: 'monospace' }} placeholder={field.placeholder} />;
    default:
      return <Input {...control} placeholder={field.placeholder} />;
  }
}

export function FormDialog({ dialog, host, onClose }: { dialog: DialogState; host: ActionHost; onClose(): void }) {
  const svc = useServices();
  const a = dialog.action!;
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const initial = useMemo(() => {
    const init: Record<string, unknown> = {};
    for (const f of a.fields) if (f.defaultValue !== undefined) init[f.name] = resolveTemplates(f.defaultValue, dialog.scope);
    Object.assign(init, resolveTemplates(a.initialValues ?? {}, dialog.scope) as Record<string, unknown>);
    for (const f of a.fields) if ((f.kind === 'json' || f.kind === 'yaml') && init[f.name] !== undefined && typeof init[f.name] !== 'string') init[f.name] = JSON.stringify(init[f.name], null, 2);
    return init;
  }, [a, dialog.scope]);

  // conditional fields: visibleWhen over {…params, values}
  useEffect(() => {
    const conds = a.fields.filter((f) => f.visibleWhen);
    if (!conds.length) return;
    let live = true;
    Promise.all(conds.map((f) => evalExpression(svc, f.visibleWhen!.$expr, { ...dialog.scope, values: { ...initial, ...values } }, { ns: host.ns }).then((v) => [f.name, Boolean(v)] as const, () => [f.name, true] as const))).then((r) => {
      if (live) setHidden(new Set(r.filter(([, v]) => !v).map(([n]) => n)));
    });
    return () => {
      live = false;
    };
  }, [a, values, initial, svc, dialog.scope, host.ns]);

  const submit = async () => {
    let v: Record<string, unknown>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      v = { ...Object.fromEntries(a.fields.filter((f) => f.kind === 'hidden').map((f) => [f.name, initial[f.name]])), ...v };
      for (const f of a.fields) {
        if (f.kind === 'json' && typeof v[f.name] === 'string' && (v[f.name] as string).trim()) v[f.name] = JSON.parse(v[f.name] as string);
        const d = v[f.name] as { toISOString?: () => string } | undefined;
        if (f.kind === 'date' && d && typeof d.toISOString === 'function') v[f.name] = d.toISOString();
        if (hidden.has(f.name)) delete v[f.name];
      }
      if (a.beforeSubmit) {
        const r = (await runFunction(svc, a.beforeSubmit.$fn, [v, host.params], ['values', 'nodeParams'], { ns: host.ns })) as any;
        if (r && typeof r === 'object') {
          if (r.pass === false || r.error) throw new Error(String(r.message ?? r.error ?? 'refused by beforeSubmit'));
          if (r.transformParams && typeof r.transformParams === 'object') v = { ...v, ...r.transformParams };
          else if (r.values && typeof r.values === 'object') v = r.values;
        }
      }
      const scope = { ...dialog.scope, values: v };
      const body = a.submit.body === undefined ? v : resolveTemplates(a.submit.body, scope);
      const result = await svc.api.request(a.submit.method ?? 'POST', urlOf(a.submit.url, scope), body);
      if (a.successMessage) svc.notify('success', renderText(a.successMessage, { ...scope, result }));
      dialog.resolve({ ...v, __result: result });
      onClose();
    } catch (e) {
      setError((e as Error).message ?? String(e));
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    dialog.resolve(undefined);
    onClose();
  };
  const title = svc.lang === 'zh' && a.titleZh ? a.titleZh : a.title;
  const body: ReactNode = (
    <div data-testid="sw-form">
    <Form form={form} layout="vertical" initialValues={initial} onValuesChange={(_c, all) => setValues(all)} onFinish={submit}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="sw-form-error" />}
      {a.fields
        .filter((f) => f.kind !== 'hidden' && !hidden.has(f.name))
        .map((f) => {
          const rules: any[] = [];
          if (f.required) rules.push({ required: true, message: t(svc.lang, 'form.required', { field: (svc.lang === 'zh' && f.labelZh) || f.label || f.name }) });
          if (f.pattern) rules.push({ pattern: new RegExp(f.pattern), message: t(svc.lang, 'form.pattern', { pattern: f.pattern }) });
          if (f.kind === 'json')
            rules.push({
              validator: (_r: unknown, val: unknown) => {
                if (typeof val !== 'string' || !val.trim()) return Promise.resolve();
                try {
                  JSON.parse(val);
                  return Promise.resolve();
                } catch (e) {
                  return Promise.reject(new Error(`JSON: ${(e as Error).message}`));
                }
              },
            });
          return (
            <Form.Item key={f.name} name={f.name} label={(svc.lang === 'zh' && f.labelZh) || f.label || f.name} rules={rules} extra={f.help} valuePropName={f.kind === 'switch' ? 'checked' : 'value'}>
              <FieldInput field={f} svc={svc} ns={host.ns} scope={dialog.scope} />
            </Form.Item>
          );
        })}
      <button type="submit" hidden />
    </Form>
    </div>
  );
  const footer = (
    <Space>
      <Button onClick={cancel}>{t(svc.lang, 'common.cancel')}</Button>
      <Button type="primary" loading={busy} onClick={submit} data-testid="sw-form-submit">
        {a.submitLabel ?? t(svc.lang, 'common.submit')}
      </Button>
    </Space>
  );
  if (a.display === 'modal') {
    return (
      <Modal open title={title} onCancel={cancel} footer={footer} width={a.width ?? 560} destroyOnHidden>
        {body}
      </Modal>
    );
  }
  return (
    <Drawer open title={title} onClose={cancel} size={a.width ?? 560} extra={footer} destroyOnHidden>
      {body}
    </Drawer>
  );
}

export function ConfirmDialog({ dialog, onClose }: { dialog: DialogState; onClose(): void }) {
  const svc = useServices();
  const close = (v: boolean) => {
    dialog.resolve(v);
    onClose();
  };
  return (
    <Modal open title={dialog.title} onOk={() => close(true)} onCancel={() => close(false)} okButtonProps={{ danger: dialog.danger, 'data-testid': 'sw-confirm-ok' } as any} okText={t(svc.lang, 'common.ok')} cancelText={t(svc.lang, 'common.cancel')}>
      {dialog.content}
    </Modal>
  );
}

export { renderTemplate };
