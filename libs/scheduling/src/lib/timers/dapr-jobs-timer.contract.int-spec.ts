/**
 * CONTRACT tests of the Dapr Jobs reminder timer: daprd cannot run on these machines, so the timer is
 * tested against `FakeDaprSidecar`, a double of daprd's documented Jobs API (requests exactly as the
 * sidecar expects them, job triggers exactly as it sends them). They prove nothing about a real
 * daprd beyond that documented contract.
 *
 * The app is the real thing where it matters here: PostgreSQL, `PlatformModule` (which provides the
 * `DaprAppCallbacks` registry), and the Dapr event server of `startEventConsumers` on the Dapr app
 * port, so every trigger goes through the same HTTP server as pub/sub deliveries. Two stand-ins:
 * - the `reminders` table is a minimal one with the columns the timer reads (the real one comes with
 *   the reminders migrations, which need the tasks schema);
 * - `ReminderFiring` is a recording stub: it is tested by its own suite; here only the timer's
 *   contract with it matters (which id it is asked to fire, and what each outcome is answered).
 */
import { Injectable } from '@nestjs/common';
import { startEventConsumers } from '@todo/event-transport';
import { DaprAppCallbacks } from '@todo/http';
import { daprAppPort, FakeDaprSidecar, startTestApp, type TestApp } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type FireOutcome, ReminderFiring } from '../reminder-firing';
import { DaprJobsClient } from './dapr-jobs-client';
import { DaprJobsReminderTimer, reminderJobName } from './dapr-jobs-reminder-timer';

/** Stand-in for ReminderFiring (tested separately): records the ids, answers what the test sets. */
@Injectable()
class RecordingFiring {
  readonly fired: string[] = [];
  answer: FireOutcome | Error = 'fired';

  async fireReminder(id: string): Promise<FireOutcome> {
    this.fired.push(id);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }

  async fireDue(): Promise<number> {
    return 0;
  }
}

const DEFAULT_FAILURE_POLICY = { constant: { interval: '10s', max_retries: 30 } };

describe('dapr jobs reminder timer contract (fake sidecar, real app port and PostgreSQL)', () => {
  let sidecar: FakeDaprSidecar;
  let app: TestApp;
  let timer: DaprJobsReminderTimer;
  let firing: RecordingFiring;
  let db: DataSource;
  let appUrl: string;

  beforeAll(async () => {
    sidecar = await FakeDaprSidecar.start();
    app = await startTestApp({
      service: 'scheduler',
      imports: [
        {
          module: class DaprJobsTimerContractModule {},
          providers: [
            RecordingFiring,
            { provide: ReminderFiring, useExisting: RecordingFiring },
            DaprJobsReminderTimer,
          ],
        },
      ],
      migrations: [],
      env: {
        EVENT_TRANSPORT: 'dapr',
        OUTBOX_RELAY: 'false',
        DAPR_HOST: '127.0.0.1',
        DAPR_HTTP_PORT: String(sidecar.port),
        DAPR_APP_PORT: '0',
        REMINDER_TIMER: 'dapr-jobs',
      },
      beforeListen: startEventConsumers,
    });
    timer = app.app.get(DaprJobsReminderTimer);
    firing = app.app.get(RecordingFiring);
    db = app.app.get(DataSource);
    await db.query(`
      CREATE TABLE reminders (
        id      uuid PRIMARY KEY,
        task_id uuid NOT NULL,
        state   text NOT NULL,
        fire_at timestamptz(3)
      )`);
    const port = daprAppPort(app.app);
    appUrl = `http://127.0.0.1:${port}`;
    await sidecar.connectApp(port);
  });
  afterAll(async () => {
    await app?.close();
    await sidecar?.stop();
  });
  afterEach(() => {
    sidecar.failJobs(null);
    firing.answer = 'fired';
  });

  const insert = async (taskId: string, state: string, fireAt: string | null): Promise<string> => {
    const id = randomUUID();
    await db.query('INSERT INTO reminders (id, task_id, state, fire_at) VALUES ($1, $2, $3, $4)', [
      id,
      taskId,
      state,
      fireAt,
    ]);
    return id;
  };
  /** The Jobs API requests made by `work`, sorted by job name then method. */
  const requestsOf = async (work: () => Promise<unknown>) => {
    const before = sidecar.jobRequests.length;
    await work();
    return sidecar.jobRequests
      .slice(before)
      .sort((a, b) => a.name.localeCompare(b.name) || a.method.localeCompare(b.method));
  };

  describe('syncTask → the Jobs API', () => {
    it('schedules one one-shot job per scheduled reminder, due at its fire_at in UTC, and deletes the known ones no longer scheduled', async () => {
      const taskId = randomUUID();
      const atWholeSecond = await insert(taskId, 'scheduled', '2026-11-21T10:00:00Z');
      const withMillis = await insert(taskId, 'scheduled', '2026-11-21T11:30:00.250+02:00');
      const fired = await insert(taskId, 'fired', '2026-11-20T08:00:00Z');
      const cancelled = await insert(taskId, 'cancelled', '2026-11-22T08:00:00Z');

      const requests = await requestsOf(() => timer.syncTask(taskId, [atWholeSecond, cancelled]));

      const expected = [
        { method: 'POST', id: atWholeSecond, dueTime: '2026-11-21T10:00:00Z' },
        { method: 'POST', id: withMillis, dueTime: '2026-11-21T09:30:00.250Z' },
        { method: 'DELETE', id: cancelled },
      ].sort((a, b) => reminderJobName(a.id).localeCompare(reminderJobName(b.id)));
      expect(requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual(
        expected.map(({ method, id }) => ({
          method,
          path: `/v1.0-alpha1/jobs/reminder-${id}`,
          status: 204,
        })),
      );
      for (const { method, id, dueTime } of expected) {
        const request = requests.find((entry) => entry.name === `reminder-${id}`);
        if (method === 'DELETE') {
          expect(request?.rawBody).toBe('');
          continue;
        }
        expect(request?.contentType).toBe('application/json');
        // exactly the documented one-shot job: dueTime only (no schedule, repeats or ttl)
        expect(request?.body).toEqual({
          dueTime,
          data: { reminderId: id, taskId },
          overwrite: true,
          failure_policy: DEFAULT_FAILURE_POLICY,
        });
      }
      expect(requests.some((request) => request.name === reminderJobName(fired))).toBe(false);
      expect(sidecar.job(reminderJobName(atWholeSecond))?.dueTime).toBe('2026-11-21T10:00:00Z');
      expect(sidecar.job(reminderJobName(withMillis))?.dueTime).toBe('2026-11-21T09:30:00.250Z');
      expect(sidecar.job(reminderJobName(cancelled))).toBeUndefined();
    });

    it('reschedules a moved reminder by overwriting its job (same name)', async () => {
      const taskId = randomUUID();
      const id = await insert(taskId, 'scheduled', '2026-12-01T09:00:00Z');
      await timer.syncTask(taskId, [id]);
      await db.query(`UPDATE reminders SET fire_at = '2026-12-02T18:45:30Z' WHERE id = $1`, [id]);

      const requests = await requestsOf(() => timer.syncTask(taskId, [id]));

      // the fake answers 409 to a second job of the same name without overwrite, like daprd
      expect(requests.map(({ method, name, status }) => ({ method, name, status }))).toEqual([
        { method: 'POST', name: `reminder-${id}`, status: 204 },
      ]);
      expect(sidecar.job(`reminder-${id}`)?.dueTime).toBe('2026-12-02T18:45:30Z');
    });

    it('deletes the jobs of known reminders that are gone from the table (task deleted) or cancelled', async () => {
      const taskId = randomUUID();
      const first = await insert(taskId, 'scheduled', '2026-12-03T09:00:00Z');
      const second = await insert(taskId, 'scheduled', '2026-12-03T10:00:00Z');
      await timer.syncTask(taskId, [first, second]);
      expect(sidecar.job(reminderJobName(first))).toBeDefined();
      await db.query(`UPDATE reminders SET state = 'cancelled' WHERE id = $1`, [second]);
      await db.query('DELETE FROM reminders WHERE id = $1', [first]);
      const neverScheduled = randomUUID();

      const requests = await requestsOf(() => timer.syncTask(taskId, [first, second, neverScheduled]));

      expect(requests.map(({ method, name, status }) => ({ method, name, status }))).toEqual(
        [first, second, neverScheduled]
          .map((id) => ({ method: 'DELETE', name: reminderJobName(id), status: 204 }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
      expect(sidecar.job(reminderJobName(first))).toBeUndefined();
      expect(sidecar.job(reminderJobName(second))).toBeUndefined();
    });

    it('takes "not found" on delete as success', async () => {
      const taskId = randomUUID();
      sidecar.failJobs(404, { method: 'DELETE', message: 'job not found' });
      const requests = await requestsOf(() => timer.syncTask(taskId, [randomUUID()]));
      expect(requests.map(({ method, status }) => ({ method, status }))).toEqual([
        { method: 'DELETE', status: 404 },
      ]);
    });

    it('makes every request even when the sidecar fails, then rejects naming the status and its reason', async () => {
      const taskId = randomUUID();
      const first = await insert(taskId, 'scheduled', '2026-12-04T09:00:00Z');
      const second = await insert(taskId, 'scheduled', '2026-12-04T10:00:00Z');
      const gone = randomUUID();
      sidecar.failJobs(500, { method: 'POST', message: 'etcd is unavailable' });

      let failure: unknown;
      const requests = await requestsOf(() =>
        timer.syncTask(taskId, [first, second, gone]).catch((error: unknown) => {
          failure = error;
        }),
      );

      expect(requests.map(({ method, status }) => `${method} ${status}`).sort()).toEqual([
        'DELETE 204',
        'POST 500',
        'POST 500',
      ]);
      expect(failure).toBeInstanceOf(Error);
      const { message } = failure as Error;
      expect(message).toContain(`could not sync the Dapr jobs of task ${taskId}: 2 of 3 request(s) failed`);
      expect(message).toContain(`the Dapr sidecar refused to schedule Dapr job reminder-${first}: HTTP 500`);
      expect(message).toContain('etcd is unavailable');
    });

    it('rejects naming the sidecar when it does not answer', async () => {
      const unreachable = new DaprJobsClient({ host: '127.0.0.1', httpPort: 1 }, { timeoutMs: 2_000 });
      await expect(unreachable.delete('reminder-x')).rejects.toThrow(
        /could not delete Dapr job reminder-x: the Dapr sidecar at http:\/\/127\.0\.0\.1:1 did not answer/,
      );
    });
  });

  describe('job triggers → the app port', () => {
    const scheduledJob = async (): Promise<{ id: string; name: string }> => {
      const taskId = randomUUID();
      const id = await insert(taskId, 'scheduled', '2026-11-21T10:00:00Z');
      await timer.syncTask(taskId, [id]);
      return { id, name: reminderJobName(id) };
    };

    it('serves the callback on the Dapr app port, fires the reminder of the job and answers 200', async () => {
      const { id, name } = await scheduledJob();
      const trigger = await sidecar.triggerJob(name);
      expect(trigger.status).toBe(200);
      expect(trigger.body).toEqual({ reminderId: id, taskId: expect.any(String) });
      expect(JSON.parse(trigger.response)).toEqual({ reminderId: id, outcome: 'fired' });
      expect(firing.fired).toContain(id);
      expect(sidecar.job(name)).toBeUndefined(); // a one-shot job is done after a 2xx
    });

    it.each<FireOutcome>(['missed', 'not-due', 'gone'])(
      'answers 200 when the reminder is %s (a stale job: nothing to retry)',
      async (outcome) => {
        const { id, name } = await scheduledJob();
        firing.answer = outcome;
        const trigger = await sidecar.triggerJob(name);
        expect(trigger.status).toBe(200);
        expect(JSON.parse(trigger.response)).toEqual({ reminderId: id, outcome });
      },
    );

    it('answers 500 when firing fails (the database), so Dapr retries the job', async () => {
      const { id, name } = await scheduledJob();
      firing.answer = new Error('connection terminated unexpectedly');
      const failed = await sidecar.triggerJob(name);
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.response)).toEqual({ error: 'connection terminated unexpectedly' });
      expect(sidecar.job(name)).toBeDefined(); // kept for the failure policy's retry

      firing.answer = 'fired';
      expect((await sidecar.triggerJob(name)).status).toBe(200);
      expect(firing.fired.filter((fired) => fired === id)).toHaveLength(2);
    });

    it('answers 404 to a job that is not a reminder-<uuid> (Dapr ends it without retries), without firing anything', async () => {
      const jobs = new DaprJobsClient({ host: '127.0.0.1', httpPort: sidecar.port });
      const before = firing.fired.length;
      for (const name of ['nightly-cleanup', 'reminder-not-a-uuid']) {
        await jobs.schedule(name, new Date('2026-11-21T10:00:00Z'), { foreign: true });
        const trigger = await sidecar.triggerJob(name);
        expect(trigger.status).toBe(404);
        expect((JSON.parse(trigger.response) as { error: string }).error).toContain(`job "${name}"`);
        expect(sidecar.job(name)).toBeUndefined();
      }
      expect(firing.fired).toHaveLength(before);
    });

    it('answers 400 to a body that is not JSON and 404 to a route nobody registered, next to the pub/sub routes', async () => {
      const id = randomUUID();
      const malformed = await fetch(`${appUrl}/job/reminder-${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"reminderId":',
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: 'the body is not valid JSON' });
      expect(firing.fired).not.toContain(id);

      const unknown = await fetch(`${appUrl}/actors/x/method/y`, { method: 'PUT' });
      expect(unknown.status).toBe(404);
      expect((await fetch(`${appUrl}/dapr/subscribe`)).status).toBe(200);
    });
  });

  describe('the app-port registry (DaprAppCallbacks) around start-up', () => {
    const handle = async () => ({ status: 200 });

    it('answers 503 to an unknown route until the app has bootstrapped (a 404 would end a job for good), then 404', async () => {
      const callbacks = new DaprAppCallbacks();
      const request = { method: 'POST', url: '/job/reminder-x?attempt=1', body: '' };
      expect((await callbacks.dispatch(request)).status).toBe(503);
      callbacks.register({
        method: 'POST',
        path: '/job/:name',
        handle: async ({ name }) => ({ status: 202, body: name }),
      });
      expect(await callbacks.dispatch(request)).toEqual({ status: 202, body: 'reminder-x' });
      callbacks.onApplicationBootstrap();
      expect((await callbacks.dispatch({ method: 'GET', url: '/job/reminder-x', body: '' })).status).toBe(
        404,
      );
    });

    it('refuses a clashing route and a route registered after start-up', () => {
      const callbacks = new DaprAppCallbacks();
      callbacks.register({ method: 'POST', path: '/job/:name', handle });
      expect(() => callbacks.register({ method: 'POST', path: '/job/:id', handle })).toThrow(/clashes/);
      callbacks.register({ method: 'DELETE', path: '/job/:name', handle });
      callbacks.onApplicationBootstrap();
      expect(() => callbacks.register({ method: 'POST', path: '/other', handle })).toThrow(/after start-up/);
    });

    it("holds the timer's route in the running app", () => {
      expect(app.app.get(DaprAppCallbacks).routes).toEqual([{ method: 'POST', path: '/job/:name' }]);
    });
  });

  describe('the fake sidecar keeps to the documented Jobs API', () => {
    const post = (name: string, body: string) =>
      fetch(`http://127.0.0.1:${sidecar.port}/v1.0-alpha1/jobs/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });

    it('validates a job like daprd and its scheduler', async () => {
      const name = `fake-${randomUUID()}`;
      expect((await post(name, '{"data": 1}')).status).toBe(400); // neither schedule nor dueTime
      expect((await post(name, '{"dueTime": "tomorrow"}')).status).toBe(500);
      expect((await post(name, '{"dueTime": "30s", "ttl": "1h"}')).status).toBe(500); // ttl needs a schedule
      expect((await post(name, '{"name": "x", "dueTime": "30s"}')).status).toBe(400);
      expect((await post(name, '{"due_time": "2026-11-21T10:00:00.5+01:00", "data": "x"}')).status).toBe(204);
      expect((await post(name, '{"dueTime": "PT1H"}')).status).toBe(409); // exists, no overwrite
      expect((await post(name, '{"dueTime": "1h30m", "overwrite": true}')).status).toBe(204);

      const found = await fetch(`http://127.0.0.1:${sidecar.port}/v1.0-alpha1/jobs/${name}`);
      expect(found.status).toBe(200);
      expect(await found.json()).toEqual({ name, dueTime: '1h30m', overwrite: true });
      const missing = await fetch(`http://127.0.0.1:${sidecar.port}/v1.0-alpha1/jobs/fake-missing`);
      expect(missing.status).toBe(500);
    });
  });
});
