import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ApiClient } from '../api/client';
import type { CreateTask, InterpretRequest, Interpretation } from '../api/contract';
import { renderWithApp } from '../testing/render-with-app';
import { QuickAdd } from './QuickAdd';
import { testTask } from '../testing/test-task';

/** The interpret endpoint's answers for this test, keyed by message (the parser itself is tested server-side). */
const ANSWERS: Record<string, Interpretation> = {
  'buy milk tomorrow 5pm #errands': {
    tool_calls: [
      { name: 'add_task', arguments: { title: 'Buy milk', due: '2026-12-04T17:00', tags: ['errands'] } },
    ],
  },
};

function renderQuickAdd() {
  const interpret = jest.fn(async (input: InterpretRequest) => ANSWERS[input.message] ?? { tool_calls: [] });
  const createTask = jest.fn(async (input: CreateTask) => testTask({ title: input.title, version: 1 }));
  const onCreated = jest.fn();
  const api = { interpret, createTask } as Partial<ApiClient>;
  renderWithApp(<QuickAdd onCreated={onCreated} />, api);
  return { interpret, createTask, onCreated, input: screen.getByLabelText('Quick add a task (press q)') };
}

describe('QuickAdd', () => {
  it('previews what will be created while typing and creates it on Enter', async () => {
    const { interpret, createTask, onCreated, input } = renderQuickAdd();
    fireEvent.change(input, { target: { value: 'buy milk tomorrow 5pm #errands' } });
    await waitFor(() =>
      expect(screen.getByTestId('quick-add-will-create').textContent).toContain('Buy milk'),
    );
    expect(interpret).toHaveBeenCalledWith({
      message: 'buy milk tomorrow 5pm #errands',
      time_zone: 'Europe/Berlin',
    });
    expect(screen.getByTestId('quick-add-will-create').textContent).toContain('#errands');
    const marks = [...screen.getByTestId('quick-add-parsed').querySelectorAll('mark')].map((mark) => [
      mark.className,
      mark.textContent,
    ]);
    expect(marks).toEqual([
      ['seg seg-date', 'tomorrow 5pm '],
      ['seg seg-tag', '#errands'],
    ]);
    await act(async () => {
      fireEvent.submit(input.closest('form') as HTMLFormElement);
    });
    expect(createTask).toHaveBeenCalledWith({
      title: 'Buy milk',
      due: '2026-12-04T17:00:00+01:00',
      tags: ['errands'],
    });
    expect(onCreated).toHaveBeenCalled();
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('adds the text as a plain title when it does not read as a new task', async () => {
    const { createTask, input } = renderQuickAdd();
    fireEvent.change(input, { target: { value: 'complete 3' } });
    await waitFor(() => expect(screen.getByText(/reads as a command/)).toBeTruthy());
    await act(async () => {
      fireEvent.submit(input.closest('form') as HTMLFormElement);
    });
    expect(createTask).toHaveBeenCalledWith({ title: 'complete 3' });
  });
});
