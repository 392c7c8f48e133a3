import { act, renderHook, waitFor } from '@testing-library/react';
import type { ApiClient } from '../api/client';
import type { Task, TaskPage, TaskQuery } from '../api/contract';
import { testTask } from '../testing/test-task';
import { dayOf } from '../ui/time';
import { useViewCounts } from './useViewCounts';

const ZONE = 'Europe/Berlin';
const today = () => dayOf(new Date(), ZONE);
const inDays = (days: number) => dayOf(new Date(Date.now() + days * 86_400_000), ZONE);

/** The server's pages, answered per view query; each call can be held back to race a live change. */
function serverWith(tasks: () => Task[]) {
  const calls: Array<{ query: TaskQuery; release(): void }> = [];
  let holdBack = false;
  const listTasks = jest.fn((query: TaskQuery): Promise<TaskPage> => {
    const answer = () => ({
      items: tasks().filter(
        (task) =>
          task.status === 'pending' &&
          (!query.overdue || task.overdue) &&
          (!query.due_to || (task.due !== null && task.due.slice(0, 10) <= query.due_to)) &&
          (!query.due_from || (task.due !== null && task.due.slice(0, 10) >= query.due_from)),
      ),
      next_cursor: null,
    });
    if (!holdBack) return Promise.resolve(answer());
    return new Promise((resolve) => calls.push({ query, release: () => resolve(answer()) }));
  });
  return {
    api: { listTasks } as Partial<ApiClient> as ApiClient,
    listTasks,
    holdBack: (on: boolean) => (holdBack = on),
    releaseAll: () => calls.splice(0).forEach((call) => call.release()),
  };
}

async function renderCounts(server: ReturnType<typeof serverWith>) {
  const hook = renderHook(() => useViewCounts(server.api, ZONE));
  await waitFor(() => expect(hook.result.current.counts.inbox).toBeDefined());
  return hook;
}

describe('the rail counts follow every change at once', () => {
  it('counts a task the chat, quick add or another tab created, before any new fetch', async () => {
    const server = serverWith(() => []);
    const { result } = await renderCounts(server);
    expect(result.current.counts).toMatchObject({ inbox: '0', today: '0', upcoming: '0', overdue: '0' });
    const fetches = server.listTasks.mock.calls.length;

    act(() => result.current.apply(testTask({ id: 'a', due: inDays(1), tags: ['home'] }), 'created'));
    expect(result.current.counts).toMatchObject({
      inbox: '1',
      today: '0',
      upcoming: '1',
      overdue: '0',
      tags: ['home'],
    });
    expect(server.listTasks.mock.calls.length).toBe(fetches);
  });

  it('moves a task between views on edits, and out of them when completed or deleted', async () => {
    const server = serverWith(() => []);
    const { result } = await renderCounts(server);
    const task = testTask({ id: 'a', due: inDays(1) });
    act(() => result.current.apply(task, 'created'));
    act(() => result.current.apply({ ...task, due: today(), version: 2 }, 'updated'));
    expect(result.current.counts).toMatchObject({ inbox: '1', today: '1', upcoming: '0' });
    act(() => result.current.apply({ ...task, due: today(), status: 'completed', version: 3 }, 'completed'));
    expect(result.current.counts).toMatchObject({ inbox: '0', today: '0' });
    act(() => result.current.apply({ ...task, version: 4 }, 'reopened'));
    act(() => result.current.apply({ ...task, version: 4 }, 'deleted'));
    expect(result.current.counts).toMatchObject({ inbox: '0', upcoming: '0' });
  });

  it('ignores a repeated or late state (live delivery is at least once)', async () => {
    const server = serverWith(() => []);
    const { result } = await renderCounts(server);
    const task = testTask({ id: 'a' });
    act(() => result.current.apply({ ...task, version: 2, status: 'completed' }, 'completed'));
    act(() => result.current.apply({ ...task, version: 1 }, 'created'));
    expect(result.current.counts.inbox).toBe('0');
  });

  it('counts tasks from pages the list loads', async () => {
    const server = serverWith(() => []);
    const { result } = await renderCounts(server);
    act(() => result.current.observe([testTask({ id: 'a' }), testTask({ id: 'b', number: 2 })]));
    expect(result.current.counts.inbox).toBe('2');
  });

  it('keeps a change learned while a fetch was on its way, over that fetch’s older answer', async () => {
    const server = serverWith(() => []);
    const { result } = await renderCounts(server);
    server.holdBack(true);
    let refreshed: Promise<void> = Promise.resolve();
    act(() => void (refreshed = result.current.refresh()));
    act(() => result.current.apply(testTask({ id: 'late' }), 'created'));
    // The server's pages were read before the task existed.
    await act(async () => {
      server.releaseAll();
      await refreshed;
    });
    expect(result.current.counts.inbox).toBe('1');
  });

  it('checks with the server shortly after a change (what the tab cannot know: time, long lists)', async () => {
    jest.useFakeTimers();
    try {
      let stored: Task[] = [];
      const server = serverWith(() => stored);
      const { result } = renderHook(() => useViewCounts(server.api, ZONE));
      await act(async () => void (await jest.runOnlyPendingTimersAsync()));
      stored = [testTask({ id: 'a' }), testTask({ id: 'b', number: 2, overdue: true, due: inDays(-1) })];
      act(() => result.current.apply(stored[0], 'created'));
      expect(result.current.counts).toMatchObject({ inbox: '1', overdue: '0' });
      await act(async () => void (await jest.advanceTimersByTimeAsync(1500)));
      expect(result.current.counts).toMatchObject({ inbox: '2', overdue: '1' });
    } finally {
      jest.useRealTimers();
    }
  });
});
