import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenForNotifications } from './listen-for-notifications';

/** Stopping must never wait on the connection: a service's shutdown waits for this loop. */
describe('listenForNotifications', () => {
  // The run's server (started by the Jest global setup); LISTEN writes nothing, so no own database.
  const databaseUrl = process.env['TEST_DATABASE_URL'] ?? '';

  const listen = (onListening: () => void = () => undefined) => {
    const stop = new AbortController();
    const done = listenForNotifications({
      databaseUrl,
      channel: 'test_channel',
      onNotification: () => undefined,
      onListening,
      reconnectDelayMs: 50,
      signal: stop.signal,
      logger: new Logger('test'),
    });
    return { stop, done };
  };
  const stoppedWithin = async (done: Promise<void>, ms: number) =>
    Promise.race([done.then(() => true), sleep(ms).then(() => false)]);

  it.each([0, 1, 2, 5, 10, 20, 50])(
    'stops within a second when aborted %i ms after it started',
    async (after) => {
      const { stop, done } = listen();
      await sleep(after);
      stop.abort();
      expect(await stoppedWithin(done, 1000)).toBe(true);
    },
  );

  it('stops within a second once listening', async () => {
    let listening!: () => void;
    const heard = new Promise<void>((resolve) => (listening = resolve));
    const { stop, done } = listen(() => listening());
    await heard;
    stop.abort();
    expect(await stoppedWithin(done, 1000)).toBe(true);
  });

  it('stops within a second while the database cannot be reached', async () => {
    const stop = new AbortController();
    const done = listenForNotifications({
      databaseUrl: 'postgres://nobody:nothing@127.0.0.1:1/none',
      channel: 'test_channel',
      onNotification: () => undefined,
      onListening: () => undefined,
      reconnectDelayMs: 50,
      signal: stop.signal,
      logger: new Logger('test'),
    });
    await sleep(120);
    stop.abort();
    expect(await stoppedWithin(done, 1000)).toBe(true);
  });
});
