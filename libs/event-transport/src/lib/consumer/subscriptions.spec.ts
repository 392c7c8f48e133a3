import type { MessageHandler } from '@nestjs/microservices';
import { collectSubscriptions } from './subscriptions';

function handler(consumer?: string, isEventHandler = true): MessageHandler {
  const fn = (async () => undefined) as unknown as MessageHandler;
  fn.isEventHandler = isEventHandler;
  fn.extras = consumer ? { consumer } : {};
  return fn;
}

describe('collectSubscriptions', () => {
  it('groups handlers by consumer, derives topics, and cuts Nest’s handler chain', () => {
    const audit = handler('audit');
    const scheduler = handler('scheduler');
    audit.next = scheduler; // how Nest links two handlers of one pattern
    const realtime = handler();
    const subscriptions = collectSubscriptions(
      new Map([
        ['task.completed', audit],
        ['task.changed', realtime],
      ]),
      'standalone',
    );
    expect(subscriptions.map(({ consumer, topics }) => ({ consumer, topics }))).toEqual([
      { consumer: 'audit', topics: ['task-events'] },
      { consumer: 'scheduler', topics: ['task-events'] },
      { consumer: 'standalone', topics: ['task-updates'] },
    ]);
    expect(subscriptions[0].handlers.get('task.completed')).toEqual([audit]);
    expect(audit.next).toBeUndefined();
  });

  it('refuses patterns that are not event types, and request/response handlers', () => {
    expect(() => collectSubscriptions(new Map([['task.craeted', handler('audit')]]), 'x')).toThrow(
      "@EventPattern('task.craeted') does not name a known event type",
    );
    expect(() => collectSubscriptions(new Map([['task.created', handler('audit', false)]]), 'x')).toThrow(
      /use @EventPattern/,
    );
  });
});
