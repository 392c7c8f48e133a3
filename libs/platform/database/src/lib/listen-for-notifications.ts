import type { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface NotificationListener {
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
 * delay when it drops. Resolves once stopped.
 */
export async function listenForNotifications(listener: NotificationListener): Promise<void> {
  const { signal } = listener;
  while (!signal.aborted) {
    const client = new Client({ connectionString: listener.databaseUrl });
    const endOnStop = () => void client.end().catch(() => undefined);
    signal.addEventListener('abort', endOnStop, { once: true });
    try {
      const closed = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      await client.connect();
      client.on('notification', (message) => listener.onNotification(message.payload ?? ''));
      await client.query(`LISTEN ${client.escapeIdentifier(listener.channel)}`);
      listener.onListening();
      await closed;
      listener.onListenLost?.();
    } catch (error) {
      if (!signal.aborted)
        listener.logger.warn(
          `LISTEN ${listener.channel} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
    signal.removeEventListener('abort', endOnStop);
    await client.end().catch(() => undefined);
    if (!signal.aborted) await delay(listener.reconnectDelayMs, signal);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
