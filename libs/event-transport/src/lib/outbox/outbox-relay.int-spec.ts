import { appendToOutbox, EVENTS_MIGRATIONS, OUTBOX_CHANNEL, RelayWakeUp } from '@todo/events';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { startEventConsumers } from '../event-consumers';
import { EventTransportModule } from '../event-transport.module';
import { sampleTaskCreated } from '../testing/sample-events';

/** Long enough that an event published within {@link PROMPTLY_MS} was not found by the poll. */
const NO_POLL = { OUTBOX_POLL_INTERVAL_MS: '60000' };
const PROMPTLY_MS = 5_000;

/**
 * How the relay is woken (the memory transport publishes; a row is relayed once `published_at` is
 * set): in memory by a writer of its own process, by one coalesced NOTIFY from a process without a
 * relay, by a forwarded NOTIFY when another relay holds the lock, and by the poll when nobody woke it.
 */
describe('outbox relay wake-up', () => {
  const apps: TestApp[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    // The apps sharing a database first, the one that owns (and drops) it last.
    for (const app of apps.splice(0).reverse()) await app.close();
  });

  const start = async (env: Record<string, string>, databaseUrl?: string) => {
    const app = await startTestApp({
      service: 'relay-test',
      imports: [EventTransportModule],
      migrations: EVENTS_MIGRATIONS,
      env,
      databaseUrl,
      beforeListen: startEventConsumers, // opens the memory broker (no consumers: it acknowledges at once)
    });
    apps.push(app);
    return app;
  };
  const connect = async (app: TestApp) => {
    const client = new Client({ connectionString: app.databaseUrl });
    await client.connect();
    clients.push(client);
    return client;
  };
  /** Every NOTIFY on the relays' channel from now on. */
  const listen = async (app: TestApp) => {
    const client = await connect(app);
    const heard: number[] = [];
    client.on('notification', () => heard.push(Date.now()));
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    return heard;
  };
  /** Commits one event (no wake-up) and returns its id. */
  const write = async (app: TestApp) => {
    const event = sampleTaskCreated('wake me');
    await appendToOutbox(app.app.get(DataSource), [event]);
    return event.id;
  };
  const relayed = async (app: TestApp, eventId: string) => {
    const [row] = await app.app
      .get(DataSource)
      .query(`SELECT published_at FROM outbox WHERE event_id = $1`, [eventId]);
    return row?.published_at != null;
  };

  it('wakes the relay of its own process in memory: relayed at once, no NOTIFY sent', async () => {
    const app = await start({ OUTBOX_RELAY: 'true', ...NO_POLL });
    const heard = await listen(app);
    const eventId = await write(app);
    app.app.get(RelayWakeUp).committed();
    await waitFor(() => relayed(app, eventId), 'the relay woken in memory', PROMPTLY_MS);
    expect(heard).toEqual([]);
  });

  it('relays a row committed without any wake-up on the safety-net poll (a writer killed after its commit)', async () => {
    const app = await start({ OUTBOX_RELAY: 'true', OUTBOX_POLL_INTERVAL_MS: '200' });
    const eventId = await write(app);
    await waitFor(() => relayed(app, eventId), 'the poll');
  });

  it('wakes the relays of other processes with one NOTIFY per window, however many writes', async () => {
    const relay = await start({ OUTBOX_RELAY: 'true', ...NO_POLL });
    const writer = await start({ OUTBOX_RELAY: 'false' }, relay.databaseUrl);
    const heard = await listen(relay);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await write(writer));
    for (let i = 0; i < 50; i++) writer.app.get(RelayWakeUp).committed();
    await waitFor(
      async () => (await Promise.all(ids.map((id) => relayed(relay, id)))).every(Boolean),
      'the other process’s relay',
      PROMPTLY_MS,
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // a trailing NOTIFY would have come
    // One at once, and one after the window for the 49 that came while the first was on its way.
    expect(heard).toHaveLength(2);
  });

  it('forwards its own writers’ wake-up when another relay holds the lock', async () => {
    const app = await start({ OUTBOX_RELAY: 'true', ...NO_POLL });
    const heard = await listen(app);
    // Stands in for a relay of another process in the middle of a batch.
    const otherRelay = await connect(app);
    await otherRelay.query(`BEGIN`);
    await otherRelay.query(`SELECT pg_advisory_xact_lock(hashtext('todo.outbox-relay'))`);
    const eventId = await write(app);
    app.app.get(RelayWakeUp).committed();
    await waitFor(() => heard.length > 0, 'the forwarded NOTIFY', PROMPTLY_MS);
    expect(await relayed(app, eventId)).toBe(false);
    await otherRelay.query(`COMMIT`);
    app.app.get(RelayWakeUp).committed();
    await waitFor(() => relayed(app, eventId), 'the relay once the lock is free', PROMPTLY_MS);
  });
});
