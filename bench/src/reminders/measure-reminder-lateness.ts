import { EventPattern, Payload } from '@nestjs/microservices';
import { ALL_MIGRATIONS, GatewayModule } from '@todo/gateway-composition';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { type DomainEvent, EventConsumer } from '@todo/events';
import { SchedulerModule } from '@todo/scheduling';
import { insertDueReminders } from '@todo/tasks/testing';
import { createTestDatabase, firingsByReminder, startTestApp } from '@todo/testing';
import { DataSource } from 'typeorm';
import { summarize } from '../stats';

/** Arrival time of each reminder's `reminder.due` at a consumer (kept across scheduler restarts). */
const arrivals = new Map<string, number>();

@EventConsumer()
class ReminderArrivals {
  @EventPattern('reminder.due', { consumer: 'bench-reminders' })
  due(@Payload() event: DomainEvent<'reminder.due'>): void {
    if (!arrivals.has(event.data.reminder.id)) arrivals.set(event.data.reminder.id, Date.now());
  }
}

/**
 * `count` reminders due evenly over `seconds` (starting a few seconds out), written up front; the
 * scheduler (PostgreSQL timer, in-process transport) fires them. Lateness = from a reminder's time
 * to its `reminder.due` reaching a consumer. With `restartAt`, the scheduler process is stopped at
 * that fraction of the window and a new one started on the same database. Lost = reminders never
 * delivered; duplicates = reminders whose `reminder.due` was written more than once.
 */
export async function measureReminderLateness(options: {
  count: number;
  seconds: number;
  restartAt?: number;
}) {
  arrivals.clear();
  const database = await createTestDatabase();
  const start = () =>
    startTestApp({
      service: 'bench',
      imports: [
        EventTransportModule,
        GatewayModule,
        SchedulerModule.forRoot({ timer: 'postgres' }),
        { module: class ReminderArrivalsModule {}, controllers: [ReminderArrivals] },
      ],
      migrations: ALL_MIGRATIONS,
      env: { LOG_LEVEL: 'error' },
      databaseUrl: database.url,
      beforeListen: startEventConsumers,
    });
  let app = await start();
  try {
    const { user } = await app.api.register();
    const first = Date.now() + 3000;
    const spacing = (options.seconds * 1000) / options.count;
    const fireTimes = Array.from({ length: options.count }, (_, i) => new Date(first + i * spacing));
    const ids: string[] = [];
    for (let i = 0; i < fireTimes.length; i += 1000)
      ids.push(...(await insertDueReminders(app.app.get(DataSource), user.id, fireTimes.slice(i, i + 1000))));
    const last = first + options.seconds * 1000;
    if (options.restartAt !== undefined) {
      await sleepUntil(first + options.restartAt * options.seconds * 1000);
      await app.close();
      app = await start();
    }
    await sleepUntil(last);
    const deadline = Date.now() + 30_000;
    while (arrivals.size < ids.length && Date.now() < deadline) await sleepUntil(Date.now() + 100);
    const dueAt = new Map(ids.map((id, i) => [id, fireTimes[i].getTime()]));
    const lateness = [...arrivals].map(([id, at]) => at - (dueAt.get(id) ?? at));
    const firings = await firingsByReminder(app.app.get(DataSource));
    return {
      ...summarize(lateness),
      lost: ids.filter((id) => !arrivals.has(id)).length,
      duplicates: ids.filter((id) => (firings.get(id) ?? 0) > 1).length,
    };
  } finally {
    await app.close();
    await database.drop();
  }
}

function sleepUntil(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
}
