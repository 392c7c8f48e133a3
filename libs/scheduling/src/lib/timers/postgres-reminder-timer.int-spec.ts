import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { type DomainEvent, EventConsumer } from '@todo/events';
import { insertDueReminders } from '@todo/tasks/testing';
import { createTestDatabase, firingsByReminder, startTestApp, type TestApp, waitFor } from '@todo/testing';
import { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import { SchedulerModule } from '../scheduler.module';

/** Records every `reminder.due` it receives, as a notifier would (consumer `reminder-probe`). */
@EventConsumer()
class ReminderDueProbe {
  static readonly received: Array<DomainEvent<'reminder.due'>> = [];

  @EventPattern('reminder.due', { consumer: 'reminder-probe' })
  due(@Payload() event: DomainEvent<'reminder.due'>): void {
    ReminderDueProbe.received.push(event);
  }
}

/**
 * The PostgreSQL timer against a real PostgreSQL and the in-process transport: reminders fire on
 * time, once, across restarts and replicas, and never for a task that is no longer open.
 */
describe('PostgreSQL reminder timer', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  async function startScheduler(
    options: { databaseUrl?: string; env?: Record<string, string>; clock?: Clock } = {},
  ) {
    const env = { REMINDER_SWEEP_INTERVAL_MS: '5000', ...options.env };
    const app = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [
        EventTransportModule,
        SchedulerModule.forRoot({ timer: 'postgres' }, options.clock),
        { module: class ProbeModule {}, controllers: [ReminderDueProbe] },
      ],
      env,
      databaseUrl: options.databaseUrl,
      beforeListen: startEventConsumers,
    });
    cleanups.push(app.close);
    return app;
  }

  const db = (app: TestApp) => app.app.get(DataSource);
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);

  async function states(app: TestApp, ids: readonly string[]) {
    const rows: Array<{ state: string; n: number }> = await db(app).query(
      `SELECT state, count(*)::int AS n FROM reminders WHERE id = ANY($1) GROUP BY state`,
      [ids],
    );
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  it('fires a reminder within a second of its time and delivers reminder.due', async () => {
    const app = await startScheduler();
    const { user } = await app.api.register();
    const due = inSeconds(1.5);
    const [id] = await insertDueReminders(db(app), user.id, [due]);
    await waitFor(
      () => ReminderDueProbe.received.some((event) => event.data.reminder.id === id),
      'the reminder.due event',
      5000,
    );
    const [row] = await db(app).query(`SELECT state, fired_at FROM reminders WHERE id = $1`, [id]);
    expect(row.state).toBe('fired');
    expect(row.fired_at.getTime() - due.getTime()).toBeGreaterThanOrEqual(0);
    expect(row.fired_at.getTime() - due.getTime()).toBeLessThan(1000);
    const event = ReminderDueProbe.received.find((received) => received.data.reminder.id === id);
    expect(event?.data).toMatchObject({ user_id: user.id, task: { title: 'Reminder test 1', number: 1 } });
  });

  it('wakes early when a reminder is scheduled before its planned wake-up', async () => {
    const app = await startScheduler({ env: { REMINDER_SWEEP_INTERVAL_MS: '60000' } });
    const { user } = await app.api.register();
    await insertDueReminders(db(app), user.id, [inSeconds(3600)]); // the timer now sleeps for a minute
    await new Promise((resolve) => setTimeout(resolve, 200));
    const due = inSeconds(0.5);
    const [id] = await insertDueReminders(db(app), user.id, [due]);
    await waitFor(async () => (await states(app, [id])).fired === 1, 'the early reminder', 3000);
  });

  it('fires 1,000 reminders due in the same second, each once', async () => {
    const app = await startScheduler();
    const { user } = await app.api.register();
    const second = inSeconds(1.5);
    const ids = await insertDueReminders(
      db(app),
      user.id,
      Array.from({ length: 1000 }, () => second),
    );
    await waitFor(async () => (await states(app, ids)).fired === 1000, '1,000 fired reminders', 10_000);
    const [{ lateness }] = await db(app).query(
      `SELECT max(fired_at - fire_at) AS lateness FROM reminders WHERE id = ANY($1)`,
      [ids],
    );
    const firings = await firingsByReminder(db(app));
    expect(ids.every((id) => firings.get(id) === 1)).toBe(true);
    // Reported, not asserted tightly: the benchmark measures lateness under load.
    console.info(`1,000 reminders due in one second: the last fired ${JSON.stringify(lateness)} late`);
  });

  it('two scheduler instances fire each reminder exactly once', async () => {
    const first = await startScheduler();
    await startScheduler({ databaseUrl: first.databaseUrl }); // a second replica on the same database
    const { user } = await first.api.register();
    const times = Array.from({ length: 400 }, (_, i) => inSeconds(1 + (i % 20) / 10));
    const ids = await insertDueReminders(db(first), user.id, times);
    await waitFor(async () => (await states(first, ids)).fired === 400, '400 fired reminders', 10_000);
    const firings = await firingsByReminder(db(first));
    expect(ids.filter((id) => firings.get(id) !== 1)).toEqual([]);
  });

  it('after a restart in the middle of a schedule, nothing is lost and nothing fires twice', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const first = await startScheduler({ databaseUrl: database.url });
    const { user } = await first.api.register();
    const times = Array.from({ length: 300 }, (_, i) => inSeconds(0.5 + (i / 300) * 3));
    const ids = await insertDueReminders(db(first), user.id, times);
    await waitFor(async () => ((await states(first, ids)).fired ?? 0) > 50, 'some reminders to fire', 5000);
    // Stop the only scheduler; reminders keep coming due while it is down.
    await cleanups.pop()?.();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await startScheduler({ databaseUrl: database.url });
    await waitFor(async () => (await states(second, ids)).fired === 300, 'all 300 reminders', 10_000);
    const firings = await firingsByReminder(db(second));
    expect(ids.filter((id) => firings.get(id) !== 1)).toEqual([]);
  });

  it('fires by the scheduler clock: a reminder due in an hour fires once the clock is an hour ahead', async () => {
    const hourAhead: Clock = { now: () => new Date(Date.now() + 3_600_000) };
    const app = await startScheduler({ clock: hourAhead });
    const { user } = await app.api.register();
    const [soon, later] = await insertDueReminders(db(app), user.id, [inSeconds(3590), inSeconds(3700)]);
    await waitFor(async () => (await states(app, [soon])).fired === 1, 'the reminder due in an hour', 3000);
    expect(await states(app, [later])).toEqual({ scheduled: 1 });
  });

  it('marks reminders found later than the missed-after limit as missed, without an event', async () => {
    const app = await startScheduler({ env: { REMINDER_MISSED_AFTER_MINUTES: '1' } });
    const { user } = await app.api.register();
    const [late, recent] = await insertDueReminders(db(app), user.id, [inSeconds(-300), inSeconds(-10)]);
    await waitFor(async () => (await states(app, [late, recent])).missed === 1, 'the missed reminder', 3000);
    await waitFor(async () => (await states(app, [recent])).fired === 1, 'the recent one to fire', 3000);
    const firings = await firingsByReminder(db(app));
    expect(firings.get(late)).toBeUndefined();
    expect(firings.get(recent)).toBe(1);
  });
});
