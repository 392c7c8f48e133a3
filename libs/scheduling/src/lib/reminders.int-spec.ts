import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { EventPublisher, EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { SchedulerModule } from './scheduler.module';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { DataSource } from 'typeorm';

/** Reminders and recurrence through the API, with the scheduler running (real PostgreSQL). */
describe('reminders and recurring tasks over REST and GraphQL', () => {
  let t: TestApp;
  let token: string;
  let strangerToken: string;
  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [EventTransportModule, SchedulerModule.forRoot({ timer: 'postgres' })],
      beforeListen: startEventConsumers,
    });
    ({ token } = await t.api.register({ time_zone: 'Europe/Berlin' }));
    ({ token: strangerToken } = await t.api.register());
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, body?: unknown, as = token) =>
    t.api.request(method, `/api/v1${path}`, { body, token: as });
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const reminderOf = async (ref: string | number, id: string) =>
    (await call('GET', `/tasks/${ref}/reminders`)).body.items.find((item: { id: string }) => item.id === id);

  it('fires a PT0S reminder within a second of the due time, then shows it fired', async () => {
    const due = inSeconds(2);
    const task = await call('POST', '/tasks', { title: 'Call the plumber', due });
    const added = await call('POST', `/tasks/${task.body.number}/reminders`, { before: 'PT0S' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ before: 'PT0S', at: null, fire_at: new Date(due).toISOString() });
    expect(added.body.state).toBe('scheduled');
    await waitFor(
      async () => (await reminderOf(task.body.id, added.body.id)).state === 'fired',
      'fired',
      4000,
    );
    const fired = await reminderOf(task.body.id, added.body.id);
    expect(Date.parse(fired.fired_at) - Date.parse(due)).toBeLessThan(1000);
    expect(Date.parse(fired.fired_at)).toBeGreaterThanOrEqual(Date.parse(due));
    // The task shows its reminders too, and adding one was a change like any other.
    const shown = await call('GET', `/tasks/${task.body.id}`);
    expect(shown.body.reminders).toEqual([fired]);
    expect(shown.body.version).toBe(2);
  });

  it('offsets follow the due time; completing cancels, reopening restores future ones', async () => {
    const task = await call('POST', '/tasks', { title: 'Dentist', due: '2031-03-10T14:00:00+01:00' });
    const ref = task.body.id;
    const hour = await call('POST', `/tasks/${ref}/reminders`, { before: 'PT1H' });
    const day = await call('POST', `/tasks/${ref}/reminders`, { before: 'P1D' });
    const fixed = await call('POST', `/tasks/${ref}/reminders`, { at: '2031-03-01T08:00:00Z' });
    expect([hour.status, day.status, fixed.status]).toEqual([201, 201, 201]);
    expect(hour.body.fire_at).toBe('2031-03-10T12:00:00.000Z');

    // Across the spring-forward change (30 March 2031 in Berlin): P1D keeps the wall time (09:00
    // the day before), PT1H is one real hour.
    await call('PATCH', `/tasks/${ref}`, { due: '2031-03-31T10:00:00+02:00' });
    expect((await reminderOf(ref, hour.body.id)).fire_at).toBe('2031-03-31T07:00:00.000Z');
    expect((await reminderOf(ref, day.body.id)).fire_at).toBe('2031-03-30T08:00:00.000Z');
    expect((await reminderOf(ref, fixed.body.id)).fire_at).toBe('2031-03-01T08:00:00.000Z');

    await call('POST', `/tasks/${ref}/complete`);
    const cancelled = (await call('GET', `/tasks/${ref}/reminders`)).body.items;
    expect(cancelled.map((item: { state: string }) => item.state)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    await call('POST', `/tasks/${ref}/reopen`);
    const restored = (await call('GET', `/tasks/${ref}/reminders`)).body.items;
    expect(restored.map((item: { state: string }) => item.state)).toEqual([
      'scheduled',
      'scheduled',
      'scheduled',
    ]);

    expect((await call('DELETE', `/tasks/${ref}/reminders/${day.body.id}`)).status).toBe(204);
    expect((await call('GET', `/tasks/${ref}/reminders`)).body.items).toHaveLength(2);
    expect((await call('DELETE', `/tasks/${ref}/reminders/${day.body.id}`)).status).toBe(404);
  });

  it('creates a task with its reminders in one transaction, or not at all', async () => {
    const due = '2030-05-06T09:00:00+02:00';
    const created = await call('POST', '/tasks', {
      title: 'Dentist',
      due,
      reminders: [{ before: 'PT1H' }, { at: '2030-05-05T18:00:00+02:00' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    expect(created.body.reminders.map((r: { fire_at: string }) => r.fire_at)).toEqual([
      '2030-05-06T06:00:00.000Z',
      '2030-05-05T16:00:00.000Z',
    ]);
    const before = (await call('GET', '/tasks?status=all&limit=100')).body.items.length;
    const refused = await call('POST', '/tasks', {
      title: 'Dentist again',
      due: '2030-05-06',
      reminders: [{ at: '2030-05-05T18:00:00+02:00' }, { before: 'PT1H' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      {
        path: 'reminders.1.before',
        message: 'The task is due all day, with no time to count back from; use "at"',
      },
    ]);
    const twice = await call('POST', '/tasks', {
      title: 'x',
      due,
      reminders: [{ before: 'PT1H' }, { before: 'PT1H' }],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details).toEqual([
      { path: 'reminders.1', message: 'is the same as an earlier one' },
    ]);
    expect((await call('GET', '/tasks?status=all&limit=100')).body.items.length).toBe(before);
  });

  it('never fires for a completed or deleted task', async () => {
    const completed = await call('POST', '/tasks', { title: 'Will be done early', due: inSeconds(1) });
    const deleted = await call('POST', '/tasks', { title: 'Will be deleted', due: inSeconds(1) });
    const kept = await call('POST', '/tasks', { title: 'Control', due: inSeconds(1) });
    for (const task of [completed, deleted, kept])
      await call('POST', `/tasks/${task.body.id}/reminders`, { before: 'PT0S' });
    await call('POST', `/tasks/${completed.body.id}/complete`);
    await call('DELETE', `/tasks/${deleted.body.id}`);
    await waitFor(
      async () => (await call('GET', `/tasks/${kept.body.id}`)).body.reminders[0].state === 'fired',
      'the control reminder',
      4000,
    );
    const firedFor: Array<{ task_id: string }> = await t.app
      .get(DataSource)
      .query(`SELECT event->>'subject' AS task_id FROM outbox WHERE event->>'type' = 'reminder.due'`);
    const tasksReminded = firedFor.map((row) => row.task_id);
    expect(tasksReminded).toContain(kept.body.id);
    expect(tasksReminded).not.toContain(completed.body.id);
    expect(tasksReminded).not.toContain(deleted.body.id);
    expect((await call('GET', `/tasks/${completed.body.id}`)).body.reminders[0].state).toBe('cancelled');
  });

  it('answers bad reminders with a 4xx that says what to do', async () => {
    const noDue = await call('POST', '/tasks', { title: 'Someday' });
    const allDay = await call('POST', '/tasks', { title: 'Birthday', due: '2031-05-01' });
    const timed = await call('POST', '/tasks', { title: 'Meeting', due: '2031-05-01T10:00:00Z' });
    const cases: Array<[string, unknown, number, RegExp]> = [
      [noDue.body.id, { before: 'PT1H' }, 400, /no due time/],
      [allDay.body.id, { before: 'PT1H' }, 400, /due all day/],
      [timed.body.id, { before: 'P1M' }, 400, /months/],
      [timed.body.id, { before: 'an hour' }, 400, /duration/i],
      [timed.body.id, { at: '2020-01-01T00:00:00Z' }, 400, /in the past/],
      [timed.body.id, { at: 'tomorrow' }, 400, /RFC 3339/],
      [timed.body.id, { before: 'PT1H', at: '2031-05-01T08:00:00Z' }, 400, /either/],
      [timed.body.id, {}, 400, /either/],
      [timed.body.id, { before: 'PT1H', extra: 1 }, 400, /extra/],
    ];
    for (const [ref, body, status, message] of cases) {
      const response = await call('POST', `/tasks/${ref}/reminders`, body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(JSON.stringify(response.body)).toMatch(message);
    }
    expect((await call('POST', `/tasks/${timed.body.id}/reminders`, { before: 'PT1H' })).status).toBe(201);
    const duplicate = await call('POST', `/tasks/${timed.body.id}/reminders`, { before: 'PT1H' });
    expect(duplicate.status).toBe(409);
    expect((await call('DELETE', `/tasks/${timed.body.id}/reminders/not-a-uuid`)).status).toBe(400);
    // Another user's task does not exist for the stranger.
    const foreign = await call(
      'POST',
      `/tasks/${timed.body.id}/reminders`,
      { before: 'PT2H' },
      strangerToken,
    );
    expect(foreign.status).toBe(404);
    expect((await call('GET', `/tasks/${timed.body.id}/reminders`, undefined, strangerToken)).status).toBe(
      404,
    );
    // allow_past: fires at once.
    const past = await call('POST', `/tasks/${timed.body.id}/reminders`, {
      at: new Date(Date.now() - 60_000).toISOString(),
      allow_past: true,
    });
    expect(past.status).toBe(201);
    await waitFor(
      async () => (await reminderOf(timed.body.id, past.body.id)).state === 'fired',
      'fired',
      3000,
    );
  });

  it('completing a daily recurring task creates the next day once, even if the event comes twice', async () => {
    const created = await call('POST', '/tasks', {
      title: 'Water the plants',
      tags: ['home'],
      priority: 'high',
      due: '2031-06-01T09:00:00+02:00',
      recurrence: { rrule: 'FREQ=DAILY' },
    });
    await call('POST', `/tasks/${created.body.id}/reminders`, { before: 'PT15M' });
    await call('POST', `/tasks/${created.body.id}/complete`);
    const next = async () =>
      (await call('GET', `/tasks?q=plants&status=pending`)).body.items as Array<{ reminders: unknown[] }>;
    await waitFor(async () => (await next()).length === 1, 'the next occurrence', 3000);
    const [occurrence] = await next();
    expect(occurrence).toMatchObject({
      title: 'Water the plants',
      tags: ['home'],
      priority: 'high',
      due: '2031-06-02T09:00:00+02:00',
      recurrence: { rrule: 'FREQ=DAILY', from: 'due' },
    });
    expect(occurrence.reminders).toMatchObject([{ before: 'PT15M', state: 'scheduled' }]);

    // Deliver the completion event again, and complete the same occurrence a second time.
    const db = t.app.get(DataSource);
    const [{ event }] = await db.query(
      `SELECT event FROM outbox WHERE event->>'type' = 'task.completed' AND event->>'subject' = $1`,
      [created.body.id],
    );
    await t.app.get(EventPublisher).publish([{ topic: 'task-events', key: created.body.id, event }]);
    await call('POST', `/tasks/${created.body.id}/reopen`);
    await call('POST', `/tasks/${created.body.id}/complete`);
    await waitFor(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n === 0,
      'the outbox to drain',
      3000,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await next()).toHaveLength(1);
  });

  it('manages reminders over GraphQL', async () => {
    const task = await call('POST', '/tasks', { title: 'GraphQL task', due: '2031-07-01T10:00:00Z' });
    const added = await t.api.graphql(
      `mutation($ref: String!) { addReminder(ref: $ref, input: { before: "PT30M", at: null }) { id before fireAt state } }`,
      { ref: String(task.body.number) },
      token,
    );
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data.addReminder).toMatchObject({ before: 'PT30M', state: 'scheduled' });
    expect(new Date(added.body.data.addReminder.fireAt).toISOString()).toBe('2031-07-01T09:30:00.000Z');
    const bad = await t.api.graphql(
      `mutation($ref: String!) { addReminder(ref: $ref, input: { before: "soon" }) { id } }`,
      { ref: task.body.id },
      token,
    );
    expect(bad.body.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    const removed = await t.api.graphql(
      `mutation($ref: String!, $id: ID!) { removeReminder(ref: $ref, id: $id) { reminders { id } } }`,
      { ref: task.body.id, id: added.body.data.addReminder.id },
      token,
    );
    expect(removed.body.data.removeReminder.reminders).toEqual([]);
  });
});
