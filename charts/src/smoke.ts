import {
  BEARER_PROTOCOL_PREFIX,
  REALTIME_PATH,
  REALTIME_PROTOCOL,
  serverMessageSchema,
} from '@todo/realtime-contract';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/** One step of the smoke test, for the log. */
export type SmokeLog = (step: string) => void;

export interface SmokeOptions {
  /** The API and web app (the Ingress, or a port-forward to the gateway). */
  url: string;
  /** Where `/realtime` is served (the Ingress routes it to realtime; defaults to `url`). */
  realtimeUrl?: string;
  /** How long the event path (outbox → broker → consumers) may take. */
  timeoutMs?: number;
  log?: SmokeLog;
}

/**
 * A deployment works end to end: the gateway is ready, a user registers, the assistant (chat-agent,
 * by service invocation) adds a task, its change reaches the user's WebSocket (realtime, over the
 * broker) and its creation reaches the history (audit, over the broker). Throws what failed.
 */
export async function runSmokeTest(options: SmokeOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${options.url}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  await call('GET', '/health/ready');
  log('gateway ready');
  const email = `smoke-${randomUUID()}@example.com`;
  const { access_token: token } = await call('POST', '/api/v1/auth/register', {
    email,
    password: `smoke-${randomUUID()}`,
    time_zone: 'UTC',
  });
  log(`registered ${email}`);

  const title = `Smoke ${randomUUID().slice(0, 8)}`;
  const socket = await openSocket(options.realtimeUrl ?? options.url, token);
  try {
    const change = waitForTaskMessage(socket, title, timeoutMs);
    const reply = await call('POST', '/api/v1/chat', { message: `add "${title}" tomorrow at 5pm` }, token);
    log(`assistant: ${reply.response}`);
    const { items } = await call('GET', '/api/v1/tasks', undefined, token);
    const task = items.find((each: { title: string }) => each.title === title);
    if (!task) throw new Error(`the assistant did not add "${title}": ${JSON.stringify(reply)}`);
    await change;
    log(`task #${task.number} reached the WebSocket`);
    await waitFor(timeoutMs, async () => {
      const history = await call('GET', `/api/v1/tasks/${task.number}/history`, undefined, token);
      return history.items.some((entry: { action: string }) => entry.action === 'created');
    });
    log(`task #${task.number} is in the history`);
  } finally {
    socket.close();
  }
}

function openSocket(url: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}${REALTIME_PATH}`, [
    REALTIME_PROTOCOL,
    `${BEARER_PROTOCOL_PREFIX}${token}`,
  ]);
  return new Promise((resolve, reject) => {
    socket.once('message', () => resolve(socket)); // the hello message: authenticated
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`the WebSocket closed with ${code} before hello`)));
  });
}

function waitForTaskMessage(socket: WebSocket, title: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no WebSocket message for "${title}" in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('message', (data) => {
      const message = serverMessageSchema.safeParse(JSON.parse(String(data)));
      if (message.success && message.data.type === 'task' && message.data.task.title === title) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function waitFor(timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
