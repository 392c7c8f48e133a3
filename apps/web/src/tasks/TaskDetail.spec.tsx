import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError, type ApiClient } from '../api/client';
import type { Task, UpdateTask } from '../api/contract';
import { renderWithApp } from '../testing/render-with-app';
import { TaskDetail } from './TaskDetail';
import { testTask } from '../testing/test-task';

function renderDetail(task: Task, current: Task) {
  const updateTask = jest.fn(async (_ref: string, patch: UpdateTask) => {
    if (patch.version !== current.version)
      throw new ApiError(409, 'conflict', 'The task was changed meanwhile');
    return { ...current, ...(patch as Partial<Task>), version: current.version + 1 };
  });
  const api = {
    updateTask,
    getTask: jest.fn(async () => current),
    history: jest.fn(async () => ({ items: [], next_cursor: null })),
  } as Partial<ApiClient>;
  const onChanged = jest.fn();
  renderWithApp(
    <TaskDetail
      task={task}
      onClose={jest.fn()}
      onChanged={onChanged}
      onToggle={jest.fn()}
      onDelete={jest.fn()}
    />,
    api,
  );
  return { updateTask, onChanged };
}

describe('TaskDetail conflicts (409)', () => {
  const mine = testTask({ title: 'Buy milk', version: 3, due: '2026-12-04T16:00:00.000Z' });
  const theirs = { ...mine, title: 'Buy oat milk', priority: 'high' as const, version: 4 };

  it('shows what changed elsewhere and saves mine over it on request', async () => {
    const { updateTask, onChanged } = renderDetail(mine, theirs);
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'two litres' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save changes' })));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This task changed elsewhere');
    expect(alert.textContent).toContain('Title: now “Buy oat milk”');
    expect(alert.textContent).toContain('Priority: now “high”');
    expect(updateTask).toHaveBeenLastCalledWith(mine.id, expect.objectContaining({ version: 3 }));

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Keep my changes' })));
    expect(updateTask).toHaveBeenLastCalledWith(
      mine.id,
      expect.objectContaining({ version: 4, title: 'Buy milk', description: 'two litres' }),
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ version: 5 })));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('takes their version when the user chooses it', async () => {
    const { onChanged } = renderDetail(mine, theirs);
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Buy soy milk' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save changes' })));
    await screen.findByRole('alert');
    fireEvent.click(screen.getByRole('button', { name: 'Use theirs' }));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Buy oat milk');
    expect(onChanged).toHaveBeenCalledWith(theirs);
  });
});
