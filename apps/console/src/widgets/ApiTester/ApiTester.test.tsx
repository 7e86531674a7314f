// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, cleanup, fireEvent, screen, waitFor, configure } from '@testing-library/react';
import { ApiTester, checkApiUrl } from './ApiTester.js';

afterEach(cleanup);
// The shared CI machine can be slow; antd validation and popups are async.
configure({ asyncUtilTimeout: 5000 });

describe('ApiTester', () => {
  it('sends through the platform client and shows the answer', async () => {
    const request = vi.fn().mockResolvedValue({ items: [{ id: 'a' }] });
    const emit = vi.fn();
    render(<ApiTester props={{ url: '/api/apps', method: 'POST', body: '{"name":"x"}' }} data={undefined} loading={false} emit={emit} setOutput={vi.fn()} api={{ request }} />);
    fireEvent.click(screen.getByText('Send').closest('button')!);
    await waitFor(() => expect(emit).toHaveBeenCalledWith('response', { items: [{ id: 'a' }] }));
    expect(request).toHaveBeenCalledWith('POST', '/api/apps', { name: 'x' });
    expect(screen.getByTestId('api-response').textContent).toContain('"id": "a"');
  });

  it('refuses other origins and bad JSON bodies without sending', () => {
    const request = vi.fn();
    render(<ApiTester props={{ url: '//evil.example/x' }} data={undefined} loading={false} emit={vi.fn()} setOutput={vi.fn()} api={{ request }} />);
    fireEvent.click(screen.getByText('Send').closest('button')!);
    expect(screen.getByText(/url: must be a platform API path/)).toBeTruthy();
    expect(request).not.toHaveBeenCalled();
    expect(checkApiUrl('https://x')).toBeDefined();
    expect(checkApiUrl('/\\evil')).toBeDefined();
    expect(checkApiUrl('/api/x')).toBeUndefined();
  });
});
