import { Injectable } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import {
  appendToOutbox,
  createEvent,
  type DomainEvent,
  EventConsumer,
  EVENTS_MIGRATIONS,
  Inbox,
  sampleTaskSnapshot,
} from '@todo/events';
import { startTestApp } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { summarize } from './stats';

@Injectable()
class Arrivals {
  readonly at = new Map<string, number>();
}

/** A consumer like the real ones: one inbox transaction per event. */
@EventConsumer()
class LatencyProbeConsumer {
  constructor(
    private readonly arrivals: Arrivals,
    private readonly inbox: Inbox,
  ) {}

  @EventPattern('task.created', { consumer: 'bench' })
  async onCreated(@Payload() event: DomainEvent<'task.created'>) {
    await this.inbox.once('bench', event.id, async () => undefined);
    this.arrivals.at.set(event.id, performance.now());
  }
}

function taskCreated(): DomainEvent<'task.created'> {
  const task = sampleTaskSnapshot({ title: 'bench' });
  const user = randomUUID();
  return createEvent('task.created', {
    source: '/todo/bench',
    subject: task.id,
    data: { user_id: user, actor: { type: 'user', id: user }, task },
  });
}

/**
 * Writes `rate` events per second for `seconds`, each in its own transaction through the outbox
 * (as a task mutation does), and measures until the consumer has handled it: outbox commit →
 * LISTEN/NOTIFY → relay → transport → consumer (inbox transaction). Needs TEST_DATABASE_URL.
 */
export async function measureEventLatency(
  env: Record<string, string>,
  options: { rate: number; seconds: number },
) {
  const app = await startTestApp({
    service: 'bench',
    imports: [
      EventTransportModule,
      { module: class LatencyProbeModule {}, controllers: [LatencyProbeConsumer], providers: [Arrivals] },
    ],
    migrations: EVENTS_MIGRATIONS,
    env,
    beforeListen: startEventConsumers,
  });
  try {
    const dataSource = app.app.get(DataSource);
    const arrivals = app.app.get(Arrivals);
    const started = new Map<string, number>();
    const total = options.rate * options.seconds;
    const interval = 1000 / options.rate;
    const t0 = performance.now();
    const writes: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + i * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const event = taskCreated();
      started.set(event.id, performance.now());
      writes.push(dataSource.transaction((tx) => appendToOutbox(tx, [event])));
    }
    await Promise.all(writes);
    const deadline = performance.now() + 30_000;
    while (arrivals.at.size < total && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const latencies = [...started].flatMap(([id, start]) => {
      const end = arrivals.at.get(id);
      return end === undefined ? [] : [end - start];
    });
    return { ...summarize(latencies), lost: total - latencies.length, rate: options.rate };
  } finally {
    await app.close();
  }
}
