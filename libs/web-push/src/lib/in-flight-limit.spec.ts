import { setTimeout as sleep } from 'node:timers/promises';
import { InFlightLimit } from './in-flight-limit';

describe('InFlightLimit', () => {
  it('runs at most `limit` at once, the others in arrival order', async () => {
    const limit = new InFlightLimit(2);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limit.run(AbortSignal.timeout(5000), async () => {
          started.push(i);
          most = Math.max(most, ++running);
          await sleep(10);
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives up waiting when the deadline passes, and the place goes to the next one still in time', async () => {
    const limit = new InFlightLimit(1);
    let release!: () => void;
    const holding = limit.run(AbortSignal.timeout(5000), () => new Promise<void>((done) => (release = done)));
    const ran: string[] = [];
    const late = limit.run(AbortSignal.timeout(50), async () => void ran.push('late'));
    const patient = limit.run(AbortSignal.timeout(5000), async () => void ran.push('patient'));
    await expect(late).rejects.toMatchObject({ name: 'TimeoutError' });
    release();
    await holding;
    await patient;
    expect(ran).toEqual(['patient']);
    // The places all came back: two at once still fit one at a time.
    await limit.run(AbortSignal.timeout(5000), async () => undefined);
  });

  it('refuses work whose deadline already passed', async () => {
    const limit = new InFlightLimit(1);
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(limit.run(signal, async () => 'ran')).rejects.toThrow('too late');
  });
});
