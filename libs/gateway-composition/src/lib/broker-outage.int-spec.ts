import { AuditLogModule } from '@todo/audit-log';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import {
  kcatAvailable,
  type KcatMockCluster,
  startKcatMockCluster,
  startTestApp,
  type TestApp,
  waitFor,
} from '@todo/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

/**
 * The whole path over a real Kafka-protocol broker (kcat mock cluster): while the broker is frozen,
 * writes still succeed and their events wait in the outbox; once it is back, every event reaches the
 * audit log.
 */
(kcatAvailable() ? describe : describe.skip)('broker outage (Kafka transport, kcat mock cluster)', () => {
  let cluster: KcatMockCluster;
  let t: TestApp;
  beforeAll(async () => {
    cluster = await startKcatMockCluster();
    t = await startTestApp({
      imports: [EventTransportModule, GatewayModule, AuditLogModule],
      migrations: ALL_MIGRATIONS,
      env: {
        EVENT_TRANSPORT: 'kafka',
        KAFKA_BROKERS: cluster.brokers,
        // a fresh group joins in ~3 s on the mock; a rejoin of a used one waits out its session
        KAFKA_GROUP_SUFFIX: `.${randomUUID()}`,
      },
      beforeListen: startEventConsumers,
    });
  }, 60_000);
  afterAll(async () => {
    cluster?.resume();
    await t?.close();
    await cluster?.stop();
  });

  it('accepts writes while the broker is down and delivers every event once it is back', async () => {
    const { token } = await t.api.register();
    const db = t.app.get(DataSource);
    const pending = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`))[0].n);

    cluster.pause();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const created = await t.api.request('POST', '/api/v1/tasks', {
          token,
          body: { title: `outage ${i}` },
        });
        expect(created.status).toBe(201);
        ids.push(created.body.id);
      }
      expect(await pending()).toBeGreaterThanOrEqual(10); // task.created + task.changed per write
      // The relay's publish fails (bounded) and is recorded; nothing is marked published.
      await waitFor(
        async () => Number((await db.query(`SELECT max(attempts) AS a FROM outbox`))[0].a) > 0,
        'a failed publish attempt',
        30_000,
      );
      expect(await pending()).toBeGreaterThanOrEqual(10);
    } finally {
      cluster.resume();
    }

    await waitFor(async () => (await pending()) === 0, 'the outbox to drain', 30_000);
    for (const id of ids)
      await waitFor(
        async () =>
          (await t.api.request('GET', `/api/v1/tasks/${id}/history`, { token })).body.items.length === 1,
        `the history of ${id}`,
        15_000,
      );
  }, 90_000);
});
