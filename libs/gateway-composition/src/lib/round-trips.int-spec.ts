import { NOTIFY_RELAYS, RELAY_NOTIFY_WINDOW_MS } from '@todo/events';
import { startTestApp, type TestApp } from '@todo/testing';
import { Client, type QueryConfig } from 'pg';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

/**
 * PostgreSQL round trips per request, counted at the driver (every `Client.query` is one round trip,
 * `START TRANSACTION` and `COMMIT` included). The budget is exact: a route that needs one more fails
 * here (fewer: lower its budget). Requests run one at a time with the outbox relay off and no event
 * consumers, so nothing else in the process talks to PostgreSQL while one is counted.
 *
 * The relay's wake-up is counted apart: with no relay in the process, a mutation sends one NOTIFY
 * from the pool after its commit, off the request's path (the answer does not wait for it; with a
 * relay in the process, as in standalone, it sends none). Each request waits for it to settle.
 */
const BUDGET = {
  'GET /me': 1, // the profile (the account itself is cached after the first request)
  'POST /tasks': 1,
  'POST /tasks (with a reminder)': 7,
  'GET /tasks/:number': 1,
  'GET /tasks': 1,
  'PATCH /tasks/:number': 2,
  'POST /tasks/:number/complete': 2,
  'POST /tasks/:number/reopen': 2,
  'POST /tasks/:number/reminders': 7,
  'DELETE /tasks/:number/reminders/:id': 6,
  'PATCH /tasks/:number (with reminders, due moved)': 9,
  'DELETE /tasks/:number': 2,
};

/** Routes that write events wake the relay once, after their commit; reads never do. */
const WAKES_RELAY: Record<keyof typeof BUDGET, number> = {
  'GET /me': 0,
  'POST /tasks': 1,
  'POST /tasks (with a reminder)': 1,
  'GET /tasks/:number': 0,
  'GET /tasks': 0,
  'PATCH /tasks/:number': 1,
  'POST /tasks/:number/complete': 1,
  'POST /tasks/:number/reopen': 1,
  'POST /tasks/:number/reminders': 1,
  'DELETE /tasks/:number/reminders/:id': 1,
  'PATCH /tasks/:number (with reminders, due moved)': 1,
  'DELETE /tasks/:number': 1,
};

describe('PostgreSQL round trips per route', () => {
  let t: TestApp;
  let token: string;
  let counting = false;
  let roundTrips = 0;
  let wakeUps = 0;
  const query = Client.prototype.query;
  const isWakeUp = (statement: unknown) =>
    (typeof statement === 'string' ? statement : (statement as QueryConfig | null)?.text) === NOTIFY_RELAYS;

  beforeAll(async () => {
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      if (isWakeUp(args[0])) wakeUps++;
      else if (counting) roundTrips++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    t = await startTestApp({
      imports: [GatewayModule],
      migrations: ALL_MIGRATIONS,
      env: { OUTBOX_RELAY: 'false' },
    });
    ({ token } = await t.api.register({ time_zone: 'Europe/Berlin' }));
    await t.api.request('GET', '/api/v1/me', { token }); // fills the account cache
  });
  afterAll(async () => {
    Client.prototype.query = query;
    await t?.close();
  });

  /** Sends one request and returns its body, how many round trips it made and the wake-ups it sent. */
  async function counted(method: string, path: string, body?: unknown) {
    roundTrips = 0;
    wakeUps = 0;
    counting = true;
    const response = await t.api.request(method, `/api/v1${path}`, { body, token });
    counting = false;
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    // The wake-up is sent after the answer may have left; a window later the next one goes at once.
    await new Promise((resolve) => setTimeout(resolve, RELAY_NOTIFY_WINDOW_MS * 20));
    return { body: response.body, roundTrips, wakeUps };
  }

  it('stays within each route’s budget', async () => {
    const measured: Record<string, number> = {};
    const woke: Record<string, number> = {};
    const measure = async (route: keyof typeof BUDGET, method: string, path: string, body?: unknown) => {
      const result = await counted(method, path, body);
      measured[route] = result.roundTrips;
      woke[route] = result.wakeUps;
      return result.body;
    };
    await measure('GET /me', 'GET', '/me');
    const task = await measure('POST /tasks', 'POST', '/tasks', {
      title: 'Count me',
      due: '2031-01-02T10:00:00+01:00',
    });
    await measure('GET /tasks/:number', 'GET', `/tasks/${task.number}`);
    await measure('GET /tasks', 'GET', '/tasks?limit=20');
    await measure('PATCH /tasks/:number', 'PATCH', `/tasks/${task.number}`, { title: 'Counted' });
    await measure('POST /tasks/:number/complete', 'POST', `/tasks/${task.number}/complete`);
    await measure('POST /tasks/:number/reopen', 'POST', `/tasks/${task.number}/reopen`);
    const reminder = await measure(
      'POST /tasks/:number/reminders',
      'POST',
      `/tasks/${task.number}/reminders`,
      {
        before: 'PT1H',
      },
    );
    await measure('PATCH /tasks/:number (with reminders, due moved)', 'PATCH', `/tasks/${task.number}`, {
      due: '2031-01-03T10:00:00+01:00',
    });
    await measure(
      'DELETE /tasks/:number/reminders/:id',
      'DELETE',
      `/tasks/${task.number}/reminders/${reminder.reminder?.id ?? reminder.id}`,
    );
    await measure('POST /tasks (with a reminder)', 'POST', '/tasks', {
      title: 'Remind me',
      due: '2031-01-02T10:00:00+01:00',
      reminders: [{ before: 'PT15M' }],
    });
    await measure('DELETE /tasks/:number', 'DELETE', `/tasks/${task.number}`);
    console.info(`round trips per route: ${JSON.stringify(measured, null, 2)}`);
    expect(measured).toEqual(BUDGET);
    expect(woke).toEqual(WAKES_RELAY);
  });
});
