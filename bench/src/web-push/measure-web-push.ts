import { ALL_MIGRATIONS, GatewayModule } from '@todo/gateway-composition';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { SchedulerModule } from '@todo/scheduling';
import { insertDueReminders } from '@todo/tasks/testing';
import { createTestDatabase, startTestApp } from '@todo/testing';
import { ReminderPushModule } from '@todo/web-push';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { generateVAPIDKeys } from 'web-push';
import { summarize } from '../stats';
import { startPushServiceProcess } from './push-service-process';

/**
 * `count` reminders of `users` users (one browser each) due evenly over `seconds`; the scheduler fires
 * them and the `web-push` consumer pushes each to a loopback push service that verifies VAPID and
 * decrypts, in a process of its own (a real one is elsewhere). Lateness = from a reminder's time to
 * its payload decrypted at the push service. Lost = never pushed; duplicates = pushed more than once;
 * misdirected = reached another user's browser. CPU per push: of this process (scheduler, relay,
 * consumer: the app), and of the push service process.
 */
export async function measureWebPush(options: { users: number; count: number; seconds: number }) {
  const vapid = { ...generateVAPIDKeys(), subject: 'mailto:bench@example.com' };
  const push = await startPushServiceProcess();
  const database = await createTestDatabase();
  const app = await startTestApp({
    service: 'bench',
    imports: [
      EventTransportModule,
      GatewayModule,
      SchedulerModule.forRoot({ timer: 'postgres' }),
      ReminderPushModule.forRoot({ vapid }),
    ],
    migrations: ALL_MIGRATIONS,
    env: {
      LOG_LEVEL: 'error',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      WEB_PUSH_ALLOW_HTTP_LOOPBACK: 'true',
    },
    databaseUrl: database.url,
    beforeListen: startEventConsumers,
  });
  try {
    const browsers: Array<{ userId: string; endpoint: string }> = [];
    for (let i = 0; i < options.users; i++) {
      const { token, user } = await app.api.register();
      const browser = await push.subscribe(vapid.publicKey);
      await app.api.request('POST', '/api/v1/push/subscriptions', { token, body: browser });
      browsers.push({ userId: user.id, endpoint: browser.endpoint });
    }
    const first = Date.now() + 3000;
    const spacing = (options.seconds * 1000) / options.count;
    const fireTimes = Array.from({ length: options.count }, (_, i) => new Date(first + i * spacing));
    const expected = new Map<string, { dueAt: number; endpoint: string }>();
    for (const [index, browser] of browsers.entries()) {
      const own = fireTimes.filter((_, i) => i % browsers.length === index);
      const ids = await insertDueReminders(app.app.get(DataSource), browser.userId, own);
      ids.forEach((id, i) => expected.set(id, { dueAt: own[i].getTime(), endpoint: browser.endpoint }));
    }
    const cpuBefore = process.cpuUsage();
    await push.markCpu();
    await sleep(Math.max(0, first + options.seconds * 1000 - Date.now()));
    const deadline = Date.now() + 30_000;
    while ((await push.received()) < options.count && Date.now() < deadline) await sleep(100);
    const cpu = process.cpuUsage(cpuBefore);
    const { arrivals: received, refused, cpuMs: pushServiceCpuMs } = await push.report();

    const arrivals = new Map<string, number[]>();
    let misdirected = 0;
    for (const message of received) {
      if (expected.get(message.reminderId)?.endpoint !== message.endpoint) misdirected++;
      arrivals.set(message.reminderId, [...(arrivals.get(message.reminderId) ?? []), message.receivedAt]);
    }
    const lateness = [...arrivals].map(([id, [at]]) => at - (expected.get(id)?.dueAt ?? at));
    const pushed = Math.max(1, received.length);
    return {
      ...summarize(lateness),
      lost: [...expected.keys()].filter((id) => !arrivals.has(id)).length,
      duplicates: [...arrivals.values()].filter((times) => times.length > 1).length,
      misdirected,
      refused,
      /** CPU of this process (the app: scheduler, relay, consumer) per message received. */
      cpuMsPerPush: (cpu.user + cpu.system) / 1000 / pushed,
      /** CPU of the push service process (verifying, decrypting) per message received. */
      pushServiceCpuMsPerPush: pushServiceCpuMs / pushed,
    };
  } finally {
    await app.close();
    await push.close();
    await database.drop();
  }
}
