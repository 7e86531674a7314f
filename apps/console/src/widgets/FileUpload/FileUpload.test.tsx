// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup, fireEvent, screen, waitFor, configure } from '@testing-library/react';
import { FileUpload, uploadUrlError } from './FileUpload.js';
import { acceptError, baseName, prepareBody, sizeError } from './upload.js';
import type { FileUploadProps } from './meta.js';

afterEach(cleanup);
configure({ asyncUtilTimeout: 5000 });

const file = (name: string, content: string | Uint8Array, type = '') => new File([content as BlobPart], name, { type });

function mount(props: FileUploadProps, upload?: (...a: any[]) => Promise<unknown>) {
  const emit = vi.fn();
  const setOutput = vi.fn();
  const api = { request: vi.fn(), ...(upload ? { upload: vi.fn(upload) } : {}) };
  render(<FileUpload props={props} data={undefined} loading={false} emit={emit} setOutput={setOutput} api={api} />);
  return { emit, setOutput, api };
}

const drop = (files: File[]) => fireEvent.drop(screen.getByTestId('upload-drop'), { dataTransfer: { files } });

describe('upload rules', () => {
  it('matches accept like the HTML attribute (extensions, exact and wildcard types)', () => {
    expect(acceptError(file('p.TGZ', 'x'), '.tgz,.tar.gz')).toBeUndefined();
    expect(acceptError(file('p.tar.gz', 'x'), '.tgz, .tar.gz')).toBeUndefined();
    expect(acceptError(file('a.csv', 'x', 'text/csv'), 'text/csv')).toBeUndefined();
    expect(acceptError(file('a.png', 'x', 'image/png'), 'image/*')).toBeUndefined();
    expect(acceptError(file('a.txt', 'x', 'text/plain'), '.tgz,image/*')).toBe('"a.txt" is not an accepted type (.tgz, image/*)');
    expect(acceptError(file('a.txt', 'x'), '')).toBeUndefined();
  });

  it('refuses files over maxSize with both sizes', () => {
    expect(sizeError({ name: 'big.bin', size: 3 * 1024 * 1024 }, 1024 * 1024)).toBe('"big.bin" is 3.00 MiB; the limit is 1.00 MiB');
    expect(sizeError({ name: 'ok.bin', size: 1024 * 1024 }, 1024 * 1024)).toBeUndefined();
  });

  it('derives a name without the extension', () => {
    expect(baseName('my-plugin.tgz')).toBe('my-plugin');
    expect(baseName('my-plugin.tar.gz')).toBe('my-plugin');
    expect(baseName('page.v2.json')).toBe('page.v2');
    expect(baseName('README')).toBe('README');
  });

  it('builds multipart, raw, base64, text and json bodies', async () => {
    const bytes = new Uint8Array([0x1f, 0x8b, 0, 255, 10]);
    const mp = await prepareBody(file('a.tgz', bytes), { encoding: 'multipart', fieldName: 'archive', nameField: 'name', fields: { replace: true } });
    const fd = mp.body as FormData;
    expect(fd.get('name')).toBe('a');
    expect(fd.get('replace')).toBe('true');
    expect((fd.get('archive') as File).name).toBe('a.tgz');
    expect(mp.contentType).toBeUndefined();

    const raw = await prepareBody(file('a.csv', 'x,y', 'text/csv'), { encoding: 'raw', fieldName: 'file' });
    expect(raw.contentType).toBe('text/csv');
    expect(await (raw.body as Blob).text()).toBe('x,y');

    const b64 = await prepareBody(file('p.tgz', bytes), { encoding: 'base64', fieldName: 'archive', nameField: 'name' });
    expect(b64.contentType).toBe('application/json');
    const sent = JSON.parse(b64.body as string);
    expect(sent.name).toBe('p');
    expect(Uint8Array.from(atob(sent.archive), (c) => c.charCodeAt(0))).toEqual(bytes);

    const text = await prepareBody(file('d.yaml', 'kind: x\n'), { encoding: 'text', fieldName: 'yaml', fields: { replace: false } });
    expect(JSON.parse(text.body as string)).toEqual({ replace: false, yaml: 'kind: x\n' });

    const js = await prepareBody(file('page.json', '{"schemaVersion":1}'), { encoding: 'json', fieldName: 'bundle', fields: { format: 'native' } });
    expect(JSON.parse(js.body as string)).toEqual({ format: 'native', bundle: { schemaVersion: 1 } });
    await expect(prepareBody(file('page.json', '{nope'), { encoding: 'json', fieldName: 'bundle' })).rejects.toThrow(/"page.json" is not valid JSON/);
  });

  it('accepts only platform API paths', () => {
    expect(uploadUrlError('/api/oam/plugins')).toBeUndefined();
    expect(uploadUrlError('https://evil.example/api/x')).toMatch(/platform API path/);
    expect(uploadUrlError('//evil.example/api/x')).toMatch(/platform API path/);
    expect(uploadUrlError('/apix')).toMatch(/platform API path/);
  });
});

describe('FileUpload', () => {
  it('sends a dropped file through api.upload with progress, then emits and publishes the answer', async () => {
    let progress: ((l: number, t: number) => void) | undefined;
    let finish: (v: unknown) => void = () => {};
    const { emit, setOutput, api } = mount({ url: '/api/oam/plugins', encoding: 'base64', fieldName: 'archive', nameField: 'name', accept: '.tgz' }, (_u, _b, o) => {
      progress = o.onProgress;
      return new Promise((r) => (finish = r));
    });
    drop([file('demo.tgz', new Uint8Array([1, 2, 3]))]);
    await waitFor(() => expect(api.upload).toHaveBeenCalled());
    const [url, body, opts] = (api.upload as any).mock.calls[0];
    expect(url).toBe('/api/oam/plugins');
    expect(opts).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(JSON.parse(body)).toEqual({ name: 'demo', archive: 'AQID' });
    progress!(30, 60);
    await waitFor(() => expect(screen.getByText('50%')).toBeTruthy());
    finish({ definitions: 2 });
    await waitFor(() => expect(emit).toHaveBeenCalledWith('uploaded', { file: { name: 'demo.tgz', size: 3, type: '' }, response: { definitions: 2 } }));
    expect(setOutput).toHaveBeenCalledWith({ files: [expect.objectContaining({ ok: true, response: { definitions: 2 } })], response: { definitions: 2 } });
    expect(emit).toHaveBeenCalledWith('done', [expect.objectContaining({ ok: true })]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows "too large" and "wrong type" on the file and sends nothing', async () => {
    const { emit, api } = mount({ url: '/api/x', accept: '.csv', maxSize: 10, multiple: true }, () => Promise.resolve({}));
    drop([file('big.csv', 'a'.repeat(11)), file('notes.txt', 'hi', 'text/plain')]);
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    expect(screen.getByText('"big.csv" is 11 B; the limit is 10 B')).toBeTruthy();
    expect(screen.getByText('"notes.txt" is not an accepted type (.csv)')).toBeTruthy();
    expect(api.upload).not.toHaveBeenCalled();
    expect(emit).toHaveBeenCalledWith('error', expect.objectContaining({ code: 'UPLOAD_TOO_LARGE' }));
    expect(emit).toHaveBeenCalledWith('error', expect.objectContaining({ code: 'UPLOAD_TYPE' }));
  });

  it("shows the server's 4xx message and code", async () => {
    const err = Object.assign(new Error('archive is not a gzip file'), { status: 400, code: 'OAM_PLUGIN_INVALID' });
    const { emit } = mount({ url: '/api/oam/plugins', encoding: 'base64', fieldName: 'archive' }, () => Promise.reject(err));
    drop([file('bad.tgz', 'not gzip')]);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('archive is not a gzip file'));
    expect(emit).toHaveBeenCalledWith('error', { file: { name: 'bad.tgz', size: 8, type: '' }, code: 'OAM_PLUGIN_INVALID', message: 'archive is not a gzip file', status: 400 });
  });

  it('refuses a JSON file that does not parse before sending', async () => {
    const { api } = mount({ url: '/api/lowcode/import', encoding: 'json', fieldName: 'bundle' }, () => Promise.resolve({}));
    drop([file('page.json', '{"broken"')]);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/"page.json" is not valid JSON/));
    expect(api.upload).not.toHaveBeenCalled();
  });

  it('takes files from the picker, one at a time unless multiple', async () => {
    const { api } = mount({ url: '/api/x', encoding: 'multipart' }, () => Promise.resolve({ ok: 1 }));
    const input = screen.getByTestId('upload-input') as HTMLInputElement;
    expect(input.multiple).toBe(false);
    fireEvent.change(input, { target: { files: [file('a.csv', 'a'), file('b.csv', 'b')] } });
    await waitFor(() => expect(document.querySelector('.ant-progress-status-success')).toBeTruthy());
    expect(api.upload).toHaveBeenCalledTimes(1);
    expect(screen.getAllByTestId('upload-item')).toHaveLength(1);
    expect(((api.upload as any).mock.calls[0][1] as FormData).get('file')).toBeInstanceOf(File);
  });

  it('without a url reads the file in the browser and publishes its text', async () => {
    const { setOutput } = mount({ url: '', accept: '.csv' });
    drop([file('m.csv', 'time,a\n1,2', 'text/csv')]);
    await waitFor(() => expect(setOutput).toHaveBeenCalled());
    expect(setOutput.mock.calls[0][0].response).toEqual({ name: 'm.csv', size: 10, type: 'text/csv', text: 'time,a\n1,2' });
  });

  it('refuses another origin and a host without upload, visibly', async () => {
    mount({ url: 'https://evil.example/api/x' }, () => Promise.resolve({}));
    drop([file('a.json', '{}')]);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/must be a platform API path/));
    cleanup();
    mount({ url: '/api/x' });
    drop([file('a.json', '{}')]);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/cannot send files/));
  });
});
