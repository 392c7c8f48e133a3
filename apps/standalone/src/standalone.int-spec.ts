import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@todo/testing';

/**
 * The `npm start` experience, for real: the built standalone bundle starts its own PostgreSQL,
 * keeps data across restarts, shuts down cleanly on SIGTERM and recovers after `kill -9`.
 */
const MAIN = join(__dirname, '..', '..', '..', 'dist', 'apps', 'standalone', 'main.js');

describe('standalone process (built bundle, embedded PostgreSQL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-standalone-'));
  let child: ChildProcess | undefined;

  // A failed test must not leave its process running (it would hold the data directory and Jest).
  afterEach(async () => {
    if (child?.exitCode === null && child.signalCode === null) await stop('SIGTERM');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  let output = '';

  async function start(env: Record<string, string> = {}): Promise<ApiClient> {
    const started = Date.now();
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child?.stderr?.on('data', (chunk: Buffer) => (output += chunk));
      child?.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
    });
    const api = new ApiClient(url);
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
    console.log(`standalone ready in ${Date.now() - started} ms`);
    return api;
  }

  function stop(signal: NodeJS.Signals): Promise<number | null> {
    return new Promise((resolve) => {
      child?.once('exit', (code) => resolve(code));
      child?.kill(signal);
    });
  }

  /** Runs the bundle to its exit (a start that must fail): exit code, output, JSON lines, duration. */
  async function run(env: Record<string, string>) {
    const started = Date.now();
    const failing = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    failing.stdout.on('data', (chunk: Buffer) => (text += chunk));
    failing.stderr.on('data', (chunk: Buffer) => (text += chunk));
    const code = await new Promise<number | null>((resolve) => failing.once('close', resolve));
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { code, text, lines, ms: Date.now() - started };
  }

  const lockFile = join(dataDir, 'postgres.lock');
  const postmasterPid = () => {
    const file = join(dataDir, 'postgres', 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  };

  it('keeps data across a clean restart and after kill -9', async () => {
    const first = await start();
    const { token } = await first.register();
    const created = await first.request('POST', '/api/v1/tasks', {
      token,
      body: { title: 'Survive restarts' },
    });
    expect(created.status).toBe(201);
    // The Web Push key pair is generated once: browsers' subscriptions are bound to its public key.
    const vapidKey = async (api: ApiClient) =>
      (await api.request('GET', '/api/v1/push/vapid-public-key')).body.public_key;
    const publicKey = await vapidKey(first);
    expect(publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/); // 65 bytes, an uncompressed P-256 point
    expect(JSON.parse(readFileSync(join(dataDir, 'vapid-keys.json'), 'utf8')).publicKey).toBe(publicKey);

    expect(await stop('SIGTERM')).toBe(0);
    expect(postmasterPid()).toBeUndefined(); // the database was shut down with the app
    expect(existsSync(lockFile)).toBe(false); // and the data directory released

    const second = await start();
    expect((await second.request('GET', '/api/v1/tasks/1', { token })).body.title).toBe('Survive restarts');

    await stop('SIGKILL'); // leaves its PostgreSQL running, holding the data directory
    const orphan = postmasterPid();
    expect(orphan).toEqual(expect.any(Number));
    expect(existsSync(lockFile)).toBe(true); // naming an owner that is gone: taken over below

    const third = await start();
    expect((await third.request('GET', '/api/v1/tasks/1', { token })).body.title).toBe('Survive restarts');
    expect(await vapidKey(third)).toBe(publicKey);
    expect(postmasterPid()).not.toBe(orphan);
    expect(await stop('SIGTERM')).toBe(0);
  }, 90_000);

  it('refuses a second start on the same data directory, naming the process that runs it', async () => {
    const first = await start();
    const { token } = await first.register();
    const second = await run({});
    expect(second.code).toBe(1);
    expect(second.lines).toEqual([
      expect.objectContaining({
        level: 60,
        service: 'standalone',
        msg: expect.stringContaining(
          `The data directory ${join(dataDir, 'postgres')} is in use by another process (pid ${child?.pid},`,
        ),
      }),
    ]);
    // The first instance still owns its database and answers.
    expect((await first.request('GET', '/health/ready')).status).toBe(200);
    const created = await first.request('POST', '/api/v1/tasks', { token, body: { title: 'Still here' } });
    expect(created.status).toBe(201);
    expect(await stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('stops at once with one JSON line naming an unreachable database by host:port, without its password', async () => {
    const failed = await run({ DATABASE_URL: 'postgres://ann:pa55-w0rd@127.0.0.1:1/todo' });
    expect(failed.code).toBe(1);
    expect(failed.lines).toEqual([
      expect.objectContaining({
        level: 60,
        service: 'standalone',
        dependency: 'PostgreSQL',
        address: '127.0.0.1:1',
        msg: expect.stringMatching(
          /^cannot start: PostgreSQL at 127\.0\.0\.1:1 is unavailable: .*ECONNREFUSED/,
        ),
      }),
    ]);
    expect(failed.text).not.toContain('pa55-w0rd');
  }, 30_000);

  it('fails fast, naming the path and why, when DATA_DIR cannot be created', async () => {
    // Loading the bundle alone takes seconds on a busy machine: compare with a start refused just after it.
    const baseline = await run({ PORT: 'not-a-port' });
    expect(baseline.lines).toEqual([expect.objectContaining({ msg: 'cannot start: invalid configuration' })]);
    const failed = await run({ DATA_DIR: '/proc/todo-assistant/data' });
    expect(failed.code).toBe(1);
    expect(failed.lines).toEqual([
      expect.objectContaining({
        level: 60,
        msg: expect.stringMatching(/Cannot create the directory \/proc\/todo-assistant\/data: ENOENT/),
      }),
    ]);
    console.log(`uncreatable DATA_DIR refused in ${failed.ms} ms (a bad PORT: ${baseline.ms} ms)`);
    expect(failed.ms - baseline.ms).toBeLessThan(2000);
  }, 60_000);

  it('shows the five changes of a task in its history within a second, over REST and GraphQL', async () => {
    const api = await start();
    const { token } = await api.register();
    const call = (method: string, path: string, body?: unknown) =>
      api.request(method, `/api/v1${path}`, { token, body });
    const { body: task } = await call('POST', '/tasks', { title: 'Five changes' });
    await call('PATCH', `/tasks/${task.id}`, { title: 'Five changes, renamed' });
    await call('POST', `/tasks/${task.id}/complete`);
    await call('POST', `/tasks/${task.id}/reopen`);
    await call('DELETE', `/tasks/${task.id}`);
    const done = Date.now();

    const actions = (items: Array<{ action: string }>) => items.map((entry) => entry.action);
    const expected = ['created', 'updated', 'completed', 'reopened', 'deleted'];
    let rest: string[] = [];
    while (rest.length < 5 && Date.now() - done < 1000) {
      // a deleted task whose history the audit consumer has not written yet is a 404: not yet
      const { status, body } = await call('GET', `/tasks/${task.id}/history`);
      rest = status === 200 ? actions(body.items) : [];
    }
    expect(rest).toEqual(expected);
    const graphql = await api.graphql(
      `query($ref: String!) { taskHistory(ref: $ref) { items { action } } }`,
      { ref: task.id },
      token,
    );
    expect(actions(graphql.body.data.taskHistory.items)).toEqual(expected);
    console.log(`history complete ${Date.now() - done} ms after the last change`);
    expect(await stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('fires a PT0S reminder within a second of the due time and records it in the history', async () => {
    const api = await start();
    const { token } = await api.register();
    const call = (method: string, path: string, body?: unknown) =>
      api.request(method, `/api/v1${path}`, { token, body });
    const due = new Date(Date.now() + 5000);
    const { body: task } = await call('POST', '/tasks', {
      title: 'Take the cake out',
      due: due.toISOString(),
    });
    const { body: reminder } = await call('POST', `/tasks/${task.id}/reminders`, { before: 'PT0S' });
    expect(reminder.state).toBe('scheduled');

    let shown = reminder;
    while (shown.state === 'scheduled' && Date.now() < due.getTime() + 3000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [shown] = (await call('GET', `/tasks/${task.id}/reminders`)).body.items;
    }
    const seenFiredAfter = Date.now() - due.getTime();
    expect(shown.state).toBe('fired');
    const lateness = Date.parse(shown.fired_at) - due.getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(1000);
    expect(seenFiredAfter).toBeLessThan(1000);

    // reminder.due reached its consumer: the audit log records it in the task's history.
    let actions: string[] = [];
    const deadline = Date.now() + 1000;
    while (!actions.includes('reminded') && Date.now() < deadline)
      actions = (await call('GET', `/tasks/${task.id}/history`)).body.items.map(
        (entry: { action: string }) => entry.action,
      );
    expect(actions).toEqual(['created', 'updated', 'reminded']);
    console.log(`reminder fired ${lateness} ms after its time, seen over REST ${seenFiredAfter} ms after`);
    expect(await stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('creates the next day of a daily task once when it is completed', async () => {
    const api = await start();
    const { token } = await api.register({ time_zone: 'Europe/Berlin' });
    const call = (method: string, path: string, body?: unknown) =>
      api.request(method, `/api/v1${path}`, { token, body });
    const { body: task } = await call('POST', '/tasks', {
      title: 'Stretch',
      due: '2031-10-25T07:30:00+02:00', // the day before Berlin's clocks go back
      recurrence: { rrule: 'FREQ=DAILY' },
    });
    await call('POST', `/tasks/${task.id}/complete`);
    await call('POST', `/tasks/${task.id}/complete`); // repeated: changes nothing
    let pending: Array<{ due: string }> = [];
    const deadline = Date.now() + 3000;
    while (pending.length === 0 && Date.now() < deadline)
      pending = (await call('GET', '/tasks?status=pending&q=stretch')).body.items;
    await new Promise((resolve) => setTimeout(resolve, 300));
    pending = (await call('GET', '/tasks?status=pending&q=stretch')).body.items;
    expect(pending.map((next) => next.due)).toEqual(['2031-10-26T07:30:00+01:00']);
    expect(await stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('lets a new user add, list and complete tasks by chat, visible through REST (offline engine)', async () => {
    const api = await start();
    const { token } = await api.register({ time_zone: 'America/New_York' });
    const chat = async (message: string, conversation_id?: string) =>
      (await api.request('POST', '/api/v1/chat', { token, body: { message, conversation_id } })).body;
    const added = await chat('Add a task to buy groceries tomorrow at 5pm, remind me 1 hour before');
    expect(added.response).toBe('Added #1 Buy groceries — due tomorrow 17:00, reminder at 16:00');
    const task = (await api.request('GET', '/api/v1/tasks/1', { token })).body;
    expect(task).toMatchObject({ title: 'Buy groceries', status: 'pending' });
    expect(task.due).toMatch(/T17:00:00-0[45]:00$/);
    expect(task.reminders).toEqual([expect.objectContaining({ before: 'PT1H', state: 'scheduled' })]);
    const listed = await chat('show my tasks', added.conversation_id);
    expect(listed.response).toContain('#1 Buy groceries');
    const completed = await chat('mark task 1 as complete', added.conversation_id);
    expect(completed.response).toBe('Completed #1 Buy groceries.');
    expect((await api.request('GET', '/api/v1/tasks/1', { token })).body.status).toBe('completed');
    const conversation = await api.request('GET', `/api/v1/chat/conversations/${added.conversation_id}`, {
      token,
    });
    expect(conversation.body.messages).toHaveLength(6);
    expect(await stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('publishes after a restart what was committed before the process died (nothing lost)', async () => {
    // The relay is off, so the change is committed but its events are not published when the process dies.
    const api = await start({ OUTBOX_RELAY: 'false' });
    const { token } = await api.register();
    const { body: task } = await api.request('POST', '/api/v1/tasks', {
      token,
      body: { title: 'Committed' },
    });
    await stop('SIGKILL');

    const restarted = await start();
    const deadline = Date.now() + 5000;
    let history: Array<{ action: string }> = [];
    while (history.length === 0 && Date.now() < deadline)
      history = (await restarted.request('GET', `/api/v1/tasks/${task.id}/history`, { token })).body.items;
    expect(history.map((entry) => entry.action)).toEqual(['created']);
    expect(await stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('converges after kill -9 in the middle of writes and event handling: no loss, no duplicates', async () => {
    let api = await start();
    const { token } = await api.register();
    const acknowledged = new Map<string, number>(); // task id -> changes answered with 2xx

    for (let round = 0; round < 3; round++) {
      const client = api;
      let killed = false;
      const writer = async () => {
        while (!killed) {
          const created = await client
            .request('POST', '/api/v1/tasks', { token, body: { title: `round ${round}` } })
            .catch(() => undefined);
          if (created?.status !== 201) continue;
          acknowledged.set(created.body.id, 1);
          const updated = await client
            .request('PATCH', `/api/v1/tasks/${created.body.id}`, { token, body: { priority: 'high' } })
            .catch(() => undefined);
          if (updated?.status === 200) acknowledged.set(created.body.id, 2);
        }
      };
      const writers = Array.from({ length: 8 }, writer);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 500));
      await stop('SIGKILL');
      killed = true;
      await Promise.all(writers);
      api = await start();
    }

    // Every acknowledged change reaches the audit log exactly once.
    const ids = [...acknowledged.keys()];
    const deadline = Date.now() + 15_000;
    let missing = ids;
    while (missing.length > 0 && Date.now() < deadline) {
      const checks = await Promise.all(
        missing.map(async (id) => {
          const history = await api.request('GET', `/api/v1/tasks/${id}/history`, { token });
          return history.body.items.length >= (acknowledged.get(id) ?? 0) ? null : id;
        }),
      );
      missing = checks.filter((id): id is string => id !== null);
    }
    expect(missing).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        body: { items: Array<{ id: string; task_id: string; action: string }>; next_cursor: string | null };
      } = await api.request('GET', `/api/v1/activity?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        token,
      });
      seen.push(...page.body.items.map((entry) => `${entry.task_id}:${entry.action}`));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length); // one entry per change: redeliveries were absorbed
    expect(output).not.toMatch(/dead letter/);
    console.log(`${ids.length} tasks and ${seen.length} history entries survived 3 kills`);
    expect(await stop('SIGTERM')).toBe(0);
  }, 120_000);
});
