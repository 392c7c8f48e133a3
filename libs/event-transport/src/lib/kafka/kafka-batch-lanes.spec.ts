import { HandlerSlots } from './kafka-batch-lanes';

describe('HandlerSlots', () => {
  it('runs at most its size at once, the waiting ones in arrival order, and frees a slot on failure', async () => {
    const slots = new HandlerSlots(2);
    const releases: Array<() => void> = [];
    const started: number[] = [];
    const work = (id: number, fail = false) =>
      slots.run(async () => {
        started.push(id);
        await new Promise<void>((resolve) => releases.push(resolve));
        if (fail) throw new Error(`work ${id} failed`);
        return id;
      });
    const settled = Promise.allSettled([work(1, true), work(2), work(3), work(4)]);
    await new Promise(setImmediate);
    expect(started).toEqual([1, 2]);

    releases[0](); // 1 fails: its slot goes to 3
    await new Promise(setImmediate);
    expect(started).toEqual([1, 2, 3]);
    releases[1]();
    await new Promise(setImmediate);
    expect(started).toEqual([1, 2, 3, 4]);
    releases[2]();
    releases[3]();

    const results = await settled;
    expect(results.map((result) => result.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    // every slot is free again
    const after: number[] = [];
    await Promise.all([1, 2].map((id) => slots.run(async () => void after.push(id))));
    expect(after).toEqual([1, 2]);
  });
});
