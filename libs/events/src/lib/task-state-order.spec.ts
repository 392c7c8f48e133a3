import { heldTaskState, isNewerTaskState } from './task-state-order';

const state = (change: 'created' | 'updated' | 'completed' | 'deleted', version: number) => ({
  change,
  task: { version },
});

describe('isNewerTaskState (task.changed consumers apply only newer states)', () => {
  it('applies the first state it sees of a task', () => {
    expect(isNewerTaskState(state('updated', 4), undefined)).toBe(true);
  });

  it('applies a higher version and drops a repeated or older one', () => {
    const held = heldTaskState(state('updated', 3));
    expect(isNewerTaskState(state('completed', 4), held)).toBe(true);
    expect(isNewerTaskState(state('updated', 3), held)).toBe(false); // delivered twice
    expect(isNewerTaskState(state('created', 1), held)).toBe(false); // delivered late
  });

  it('applies a deletion of the held version (deleting does not bump it), and nothing after a deletion', () => {
    const held = heldTaskState(state('updated', 3));
    expect(isNewerTaskState(state('deleted', 3), held)).toBe(true);
    expect(isNewerTaskState(state('deleted', 2), held)).toBe(false);
    const deleted = heldTaskState(state('deleted', 3));
    expect(deleted).toEqual({ version: 3, deleted: true });
    expect(isNewerTaskState(state('updated', 3), deleted)).toBe(false);
    expect(isNewerTaskState(state('deleted', 3), deleted)).toBe(false);
    expect(isNewerTaskState(state('updated', 4), deleted)).toBe(false);
  });

  it('ends in the same state whatever order duplicated and late deliveries come in', () => {
    const history = [state('created', 1), state('updated', 2), state('completed', 3), state('deleted', 3)];
    const deliveries = [history[1], history[0], history[2], history[1], history[3], history[2], history[0]];
    let held: ReturnType<typeof heldTaskState> | undefined;
    const applied: number[] = [];
    for (const delivery of deliveries)
      if (isNewerTaskState(delivery, held)) {
        held = heldTaskState(delivery);
        applied.push(delivery.task.version);
      }
    expect(held).toEqual({ version: 3, deleted: true });
    expect(applied).toEqual([2, 3, 3]);
  });
});
