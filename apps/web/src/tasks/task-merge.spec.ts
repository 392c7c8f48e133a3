import { type HeldVersion, isNewer, mergeTask, rememberVersions } from './task-merge';
import { testTask } from '../testing/test-task';
import { comparatorOf } from './views';

const byDue = comparatorOf({ sort: 'due' });
const pendingOnly = (task: { status: string }) => task.status === 'pending';

describe('live updates merged by version', () => {
  const a = testTask({ id: 'a', number: 1, title: 'A', due: '2026-12-01' });
  const b = testTask({ id: 'b', number: 2, title: 'B', due: '2026-12-03' });

  it('replaces a task in place when the state is newer', () => {
    const held = new Map<string, HeldVersion>();
    rememberVersions(held, [a, b]);
    const renamed = { ...a, title: 'A renamed', version: 2, due: '2026-12-05' };
    const result = mergeTask([a, b], held, renamed, 'updated', pendingOnly, byDue);
    expect(result.applied).toBe(true);
    // same place, no jump, even though the new due would sort it last
    expect(result.items.map((task) => task.title)).toEqual(['A renamed', 'B']);
  });

  it('ignores a repeated or late (older) state', () => {
    const held = new Map<string, HeldVersion>();
    const v3 = { ...a, title: 'v3', version: 3 };
    rememberVersions(held, [v3]);
    const late = { ...a, title: 'v2', version: 2 };
    expect(mergeTask([v3], held, late, 'updated', pendingOnly, byDue)).toEqual({
      items: [v3],
      applied: false,
    });
    expect(mergeTask([v3], held, v3, 'updated', pendingOnly, byDue).applied).toBe(false);
  });

  it('inserts a new task where the sort puts it, once', () => {
    const held = new Map<string, HeldVersion>();
    rememberVersions(held, [a, b]);
    const c = testTask({ id: 'c', number: 3, title: 'C', due: '2026-12-02' });
    const first = mergeTask([a, b], held, c, 'created', pendingOnly, byDue);
    expect(first.items.map((task) => task.id)).toEqual(['a', 'c', 'b']);
    const again = mergeTask(first.items, held, c, 'created', pendingOnly, byDue);
    expect(again.items.map((task) => task.id)).toEqual(['a', 'c', 'b']);
  });

  it('removes a task that no longer matches the view (completed elsewhere)', () => {
    const held = new Map<string, HeldVersion>();
    rememberVersions(held, [a, b]);
    const done = { ...a, status: 'completed' as const, version: 2 };
    expect(
      mergeTask([a, b], held, done, 'completed', pendingOnly, byDue).items.map((task) => task.id),
    ).toEqual(['b']);
  });

  it('keeps a deleted task deleted when an older update arrives after the deletion', () => {
    const held = new Map<string, HeldVersion>();
    rememberVersions(held, [a]);
    const deleted = mergeTask([a], held, { ...a, version: 2 }, 'deleted', pendingOnly, byDue);
    expect(deleted.items).toEqual([]);
    const late = mergeTask(
      deleted.items,
      held,
      { ...a, version: 2, title: 'late' },
      'updated',
      pendingOnly,
      byDue,
    );
    expect(late.items).toEqual([]);
  });

  it('treats the deletion of the version held as news, but only once', () => {
    expect(isNewer({ version: 4, deleted: false }, { ...a, version: 4 }, 'deleted')).toBe(true);
    expect(isNewer({ version: 4, deleted: true }, { ...a, version: 4 }, 'deleted')).toBe(false);
    expect(isNewer({ version: 4, deleted: false }, { ...a, version: 4 }, 'updated')).toBe(false);
  });

  it('does not let a REST page lower the version learned from the socket', () => {
    const held = new Map<string, HeldVersion>([['a', { version: 5, deleted: false }]]);
    rememberVersions(held, [{ ...a, version: 3 }]);
    expect(held.get('a')?.version).toBe(5);
  });
});
