// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup, fireEvent, screen } from '@testing-library/react';
import { CodeEditor, evaluateText } from '../CodeEditor/CodeEditor.js';
import { CodeViewer } from '../CodeViewer/CodeViewer.js';
import { yamlDiagnostics } from './codemirror.js';

afterEach(cleanup);
const base = { loading: false, setOutput: vi.fn(), api: { request: vi.fn() } };

describe('code editor and viewer', () => {
  it('viewer shows an object as YAML', () => {
    const { getByTestId } = render(<CodeViewer {...base} emit={vi.fn()} props={{ language: 'yaml' }} data={{ kind: 'Application', spec: { replicas: 3 } }} />);
    expect(getByTestId('code-viewer').textContent).toContain('kind: Application');
    expect(getByTestId('code-viewer').textContent).toContain('replicas: 3');
  });

  it('editor saves parsed YAML and refuses to save invalid text', () => {
    const emit = vi.fn();
    render(<CodeEditor {...base} emit={emit} props={{ language: 'yaml' }} data={'a: 1\n'} />);
    fireEvent.click(screen.getByText('Save').closest('button')!);
    expect(emit).toHaveBeenCalledWith('save', { text: 'a: 1\n', value: { a: 1 }, valid: true });
    cleanup();
    const emit2 = vi.fn();
    render(<CodeEditor {...base} emit={emit2} props={{ language: 'json' }} data={'{"a": '} />);
    expect(screen.getByText(/Invalid JSON/)).toBeTruthy();
    expect((screen.getByText('Save').closest('button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('locates YAML errors and evaluates text', () => {
    const d = yamlDiagnostics('a: 1\nb: [1, 2\n');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0].from).toBeGreaterThan(4);
    expect(evaluateText('{"x":[1]}', 'json')).toEqual({ text: '{"x":[1]}', value: { x: [1] }, valid: true });
    expect(evaluateText('x: [', 'yaml').valid).toBe(false);
  });
});
