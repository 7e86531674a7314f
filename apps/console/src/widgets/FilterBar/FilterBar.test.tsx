// @vitest-environment happy-dom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, fireEvent, cleanup, screen, waitFor, configure } from '@testing-library/react';
import { FilterBar } from './FilterBar.js';

afterEach(cleanup);
configure({ asyncUtilTimeout: 5000 });

const setup = (props: Parameters<typeof FilterBar>[0]['props']) => {
  const emit = vi.fn();
  const setOutput = vi.fn();
  render(<FilterBar props={props} data={undefined} loading={false} emit={emit} setOutput={setOutput} api={{ request: vi.fn() }} />);
  return { emit, setOutput };
};

describe('FilterBar', () => {
  it('publishes initial values at once and the new values on Query', async () => {
    const { emit, setOutput } = setup({ fields: [{ name: 'keyword', label: 'Keyword', type: 'text' }], initialValues: { keyword: 'api' } });
    expect(setOutput).toHaveBeenCalledWith({ keyword: 'api' });
    fireEvent.change(screen.getByLabelText('Keyword'), { target: { value: ' web ' } });
    fireEvent.click(screen.getByText('Query').closest('button')!);
    await waitFor(() => expect(emit).toHaveBeenCalledWith('change', { keyword: 'web' }));
    expect(setOutput).toHaveBeenLastCalledWith({ keyword: 'web' });
  });

  it('auto-submits after the debounce', async () => {
    const { emit } = setup({ fields: [{ name: 'q', label: 'Q', type: 'text' }], autoSubmit: true, debounceMs: 20 });
    expect(screen.queryByText('Query')).toBeNull();
    fireEvent.change(screen.getByLabelText('Q'), { target: { value: 'x' } });
    expect(emit).not.toHaveBeenCalled();
    await waitFor(() => expect(emit).toHaveBeenCalledWith('change', { q: 'x' }));
  });
});
