import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { SchedulerModule } from './scheduler.module';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { DataSource } from 'typeorm';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour).join(',');
const MINUTES = Array.from({ length: 60 }, (_, minute) => minute).join(',');

/**
 * Recurrence rules that used to block the event loop when their task was completed (the reported
 * one for 30 s, an out-of-phase hourly one forever): refused at write time, or, when accepted,
 * searched within a bounded amount of work by the scheduler (real PostgreSQL, real HTTP).
 */
describe('hostile recurrence rules', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [EventTransportModule, SchedulerModule.forRoot({ timer: 'postgres' })],
      beforeListen: startEventConsumers,
    });
    ({ token } = await t.api.register({ time_zone: 'Europe/Berlin' }));
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, body?: unknown) =>
    t.api.request(method, `/api/v1${path}`, { body, token });
  const create = (rrule: string, due = '2031-06-01T08:00:00+02:00') =>
    call('POST', '/tasks', { title: 'Recurring', due, recurrence: { rrule } });

  it.each([
    [
      'the reported rule (30 s per completion)',
      `FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=${HOURS};BYMINUTE=${MINUTES};BYSECOND=${MINUTES}`,
      'recurrence.rrule: tasks repeat at most hourly: BYMINUTE takes one value',
    ],
    [
      'the same without its minute and second lists',
      `FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=${HOURS}`,
      'recurrence.rrule: matches no date: its parts never coincide',
    ],
    ['a week 53 in June', 'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6', 'recurrence.rrule: matches no date'],
    [
      'UNTIL in year 1 (stored as 1901 before)',
      'FREQ=DAILY;UNTIL=00010101',
      'recurrence.rrule: UNTIL must be in the years 1970–9999, not 1',
    ],
  ])('refuses %s with a 400 that says why', async (_case, rrule, message) => {
    const response = await create(rrule);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.message).toContain(message);
  });

  it('refuses them over GraphQL too', async () => {
    const response = await t.api.graphql(
      `mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }`,
      {
        input: {
          title: 'Recurring',
          due: '2031-06-01',
          recurrence: { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' },
        },
      },
      token,
    );
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(response.body.errors?.[0]?.message).toContain('recurrence.rrule: matches no date');
  });

  it('stores UNTIL as written', async () => {
    const created = await create('FREQ=DAILY;UNTIL=20311231');
    expect(created.status).toBe(201);
    expect(created.body.recurrence).toEqual({ rrule: 'FREQ=DAILY;UNTIL=20311231', from: 'due' });
  });

  it.each([
    // From 08:00, steps of 2 hours never reach 09:00: rrule looped forever, the process hung.
    ['FREQ=HOURLY;INTERVAL=2;BYHOUR=9', '2031-06-01T08:00:00+02:00'],
    // Every 7 days on Mondays, from a Tuesday: never (rrule walked on to the year 9999).
    ['FREQ=DAILY;INTERVAL=7;BYDAY=MO', '2031-06-03'],
  ])('completes a task with the accepted rule %s while the server stays live', async (rrule, due) => {
    const created = await create(rrule, due);
    expect(created.status).toBe(201);
    const completed = await call('POST', `/tasks/${created.body.id}/complete`);
    expect(completed.status).toBe(200);

    const db = t.app.get(DataSource);
    const consumed = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM inbox i JOIN outbox o ON o.event->>'id' = i.event_id::text
            WHERE i.consumer = 'recurrence' AND o.event->>'subject' = $1`,
          [created.body.id],
        )
      )[0].n === 1;
    let slowest = 0;
    await waitFor(
      async () => {
        const started = performance.now();
        const live = await t.api.request('GET', '/health/live');
        slowest = Math.max(slowest, performance.now() - started);
        expect(live.status).toBe(200);
        return consumed();
      },
      'the recurrence consumer to handle the completion',
      5000,
    );
    // The search costs milliseconds; the rules above used to take seconds, or forever.
    expect(slowest).toBeLessThan(1000);
    // The series has no next date from this due: it ends, no next task.
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM tasks WHERE series_id = (SELECT series_id FROM tasks WHERE id = $1)`,
      [created.body.id],
    );
    expect(n).toBe(1);
  });
});
