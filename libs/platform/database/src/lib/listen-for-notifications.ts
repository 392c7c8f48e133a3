import type { Logger } from '@nestjs/common';
import { Client } from 'pg';

interface NotificationListener {
  readonly databaseUrl: string;
  readonly channel: string;
  /** Called for every NOTIFY on the channel (delivered when the notifying transaction commits). */
  readonly onNotification: (payload: string) => void;
  /** Called whenever LISTEN is (re-)established: notifications sent while disconnected are lost. */
  readonly onListening: () => void;
  /** Called when an established LISTEN drops: notifications are lost until `onListening` again. */
  readonly onListenLost?: () => void;
  readonly reconnectDelayMs: number;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Keeps a dedicated connection LISTENing on a channel until `signal` aborts, reconnecting after the
 * delay when it drops. Resolves once stopped, promptly: pg can leave connect() unsettled when the
 * connection is ended while it opens, so no wait here outlasts the signal.
 */
export async function listenForNotifications(listener: NotificationListener): Promise<void> {
  const { signal } = listener;
  const stopped = new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const untilStopped = (work: Promise<unknown>) => {
    work.catch(() => undefined); // a rejection after the stop is nobody's business
    return Promise.race([work, stopped]);
  };
  while (!signal.aborted) {
    const client = new Client({ connectionString: listener.databaseUrl });
    const closed = new Promise<void>((resolve) => {
      client.on('error', () => resolve());
      client.on('end', () => resolve());
    });
    try {
      await untilStopped(client.connect());
      if (signal.aborted) break;
      client.on('notification', (message) => listener.onNotification(message.payload ?? ''));
      await untilStopped(client.query(`LISTEN ${client.escapeIdentifier(listener.channel)}`));
      if (signal.aborted) break;
      listener.onListening();
      await untilStopped(closed);
      listener.onListenLost?.();
    } catch (error) {
      if (!signal.aborted)
        listener.logger.warn(
          `LISTEN ${listener.channel} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
    } finally {
      await Promise.race([client.end().catch(() => undefined), delay(END_WAIT_MS)]);
    }
    if (!signal.aborted) await delay(listener.reconnectDelayMs, signal);
  }
}

/** How long closing a connection may hold up a reconnect or the stop. */
const END_WAIT_MS = 1000;

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
