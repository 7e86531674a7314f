// @vitest-environment happy-dom
// happy-dom: clicking a radio's label text breaks later submit clicks, so tests click the inputs.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, fireEvent, cleanup, screen, waitFor, act, configure } from '@testing-library/react';
import { Form, checkFields } from './Form.js';
import { meta, type FormProps } from './meta.js';
import { fieldOptions } from './fields.js';
import { structuredError } from './structured.js';

afterEach(cleanup);
// The shared CI machine can be slow; antd validation and popups are async.
configure({ asyncUtilTimeout: 5000 });

function setup(props: FormProps, data?: unknown) {
  const emit = vi.fn();
  const setOutput = vi.fn();
  const utils = render(<Form props={props} data={data} loading={false} emit={emit} setOutput={setOutput} api={{ request: vi.fn() }} />);
  return { ...utils, emit, setOutput };
}

const submit = () => fireEvent.click(screen.getByText('Submit').closest('button')!);
const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('Form', () => {
  it('blocks submit with messages naming the fields, then emits parsed values', async () => {
    const { emit, setOutput } = setup({
      fields: [
        { name: 'name', label: 'Name', type: 'text', required: true, pattern: '[a-z]+', min: 3 },
        { name: 'port', label: 'Port', type: 'number', min: 1, max: 65535 },
        { name: 'spec.values', label: 'Values', type: 'yaml' },
        { name: 'labels', label: 'Labels', type: 'json' },
        { name: 'when', label: 'When', type: 'date' },
      ],
      initialValues: { when: '2024-05-01' },
    });
    submit();
    expect(await screen.findByText('Name is required')).toBeTruthy();
    expect(emit).not.toHaveBeenCalledWith('submit', expect.anything());

    fireEvent.change(input('Name'), { target: { value: 'AB' } });
    fireEvent.change(input('Values'), { target: { value: 'a: [1, 2' } });
    fireEvent.change(input('Labels'), { target: { value: '{"x": 1' } });
    submit();
    expect(await screen.findByText(/Name does not match the pattern/)).toBeTruthy();
    expect(await screen.findByText(/Name must be at least 3 characters/)).toBeTruthy();
    expect(await screen.findByText(/Values: Invalid YAML/)).toBeTruthy();
    expect(await screen.findByText(/Labels: Invalid JSON/)).toBeTruthy();

    fireEvent.change(input('Name'), { target: { value: 'api' } });
    fireEvent.change(input('Values'), { target: { value: 'replicas: 3\nimage: nginx' } });
    fireEvent.change(input('Labels'), { target: { value: '{"tier": "web"}' } });
    fireEvent.change(input('Port'), { target: { value: '8080' } });
    submit();
    await waitFor(() => expect(emit).toHaveBeenCalledWith('submit', expect.anything()));
    const values = emit.mock.calls.find((c) => c[0] === 'submit')![1];
    expect(values).toEqual({ name: 'api', port: 8080, spec: { values: { replicas: 3, image: 'nginx' } }, labels: { tier: 'web' }, when: '2024-05-01' });
    expect(setOutput).toHaveBeenCalledWith(values);
  });

  it('requires a required checkbox to be ticked', async () => {
    const { emit } = setup({ fields: [{ name: 'ack', label: 'I understand', type: 'checkbox', required: true }] });
    submit();
    expect(await screen.findByText('I understand is required')).toBeTruthy();
    fireEvent.click(input('I understand'));
    submit();
    await waitFor(() => expect(emit).toHaveBeenCalledWith('submit', { ack: true }));
  });

  it('rejects numbers out of range', async () => {
    setup({ fields: [{ name: 'port', label: 'Port', type: 'number', max: 10 }] });
    fireEvent.change(input('Port'), { target: { value: '11' } });
    submit();
    expect(await screen.findByText('Port must be at most 10')).toBeTruthy();
  });

  it('hides fields by visibleWhen and does not submit them', async () => {
    const { emit } = setup({
      fields: [
        { name: 'strategy', label: 'Strategy', type: 'radio', options: [{ label: 'Rolling', value: 'rolling' }, { label: 'Recreate', value: 'recreate' }] },
        { name: 'maxSurge', label: 'Max surge', type: 'number', visibleWhen: { field: 'strategy', equals: 'rolling' } },
      ],
      initialValues: { strategy: 'rolling', maxSurge: 2 },
    });
    expect(screen.queryByLabelText('Max surge')).not.toBeNull();
    await act(async () => fireEvent.click(screen.getByLabelText('Recreate')));
    await waitFor(() => expect(screen.queryByLabelText('Max surge')).toBeNull());
    submit();
    await waitFor(() => expect(emit).toHaveBeenCalledWith('submit', { strategy: 'recreate' }));
  });

  it('clears a dependent field when its parent changes', async () => {
    const { emit } = setup({ ...meta.defaults, fields: [
      { name: 'env', label: 'Env', type: 'radio', options: [{ label: 'dev', value: 'dev' }, { label: 'prod', value: 'prod' }] },
      { name: 'cluster', label: 'Cluster', type: 'text', dependsOn: ['env'] },
    ], initialValues: { env: 'dev', cluster: 'dev-1' } } as FormProps);
    expect(input('Cluster').value).toBe('dev-1');
    await act(async () => fireEvent.click(screen.getByLabelText('prod')));
    await waitFor(() => expect(input('Cluster').value).toBe(''));
    submit();
    await waitFor(() => expect(emit).toHaveBeenCalledWith('submit', { env: 'prod', cluster: undefined }));
  });

  it('reports a bad field config by path instead of crashing', () => {
    expect(checkFields([{ name: 'a', type: 'text', pattern: '(' }])).toMatch(/^fields\[0\]\.pattern:/);
    expect(checkFields([{ name: 'a', type: 'text' }, { name: 'a', type: 'text' }])).toBe('fields[1].name: duplicate "a"');
    setup({ fields: [{ name: 'a', type: 'text', pattern: '(' }] });
    expect(screen.getByText(/fields\[0\]\.pattern/)).toBeTruthy();
  });
});

describe('form field logic', () => {
  it('takes options from data and filters them by the parent field', () => {
    const f = meta.defaults.fields as FormProps['fields'];
    const comp = f!.find((x) => x.name === 'component')!;
    expect(fieldOptions(comp, meta.mockData, { appId: 'aiops' })).toEqual([{ label: 'forecast', value: 'forecast', parent: 'aiops' }]);
    const app = f!.find((x) => x.name === 'appId')!;
    expect(fieldOptions(app, meta.mockData, {}).map((o) => o.value)).toEqual(['health', 'aiops']);
  });
  it('explains JSON and YAML errors', () => {
    expect(structuredError('json', '{"a":')).toBeTruthy();
    expect(structuredError('yaml', 'a: b\n c: d')).toBeTruthy();
    expect(structuredError('yaml', 'a: 1')).toBeUndefined();
  });
});
