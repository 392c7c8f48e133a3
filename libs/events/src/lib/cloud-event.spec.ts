import { randomUUID } from 'node:crypto';
import { createEvent, parseEvent } from './cloud-event';
import { topicOf } from './event-catalog';
import { sampleTaskSnapshot } from './testing/sample-task-snapshot';

const task = sampleTaskSnapshot({
  number: 3,
  title: 'Dentist',
  priority: 'high',
  tags: ['health'],
  due: '2030-01-02',
});
const userId = randomUUID();
const created = () =>
  createEvent('task.created', {
    source: '/todo/test',
    subject: task.id,
    data: { user_id: userId, actor: { type: 'user', id: userId }, task },
  });

describe('CloudEvents contracts', () => {
  it('builds CloudEvents 1.0 with a fresh id and routes each type to its topic', () => {
    const [a, b] = [created(), created()];
    expect(a).toMatchObject({
      specversion: '1.0',
      type: 'task.created',
      subject: task.id,
      source: '/todo/test',
    });
    expect(a.id).not.toBe(b.id);
    expect(topicOf('task.completed')).toBe('task-events');
    expect(topicOf('task.changed')).toBe('task-updates');
  });

  it('accepts a valid event, also with extension attributes a sidecar adds, after a JSON round trip', () => {
    const event = created();
    const parsed = parseEvent({
      ...JSON.parse(JSON.stringify(event)),
      traceparent: '00-abc',
      pubsubname: 'pubsub',
    });
    expect(parsed).toEqual({ ok: true, event });
  });

  it.each([
    ['a non-object', 'hello', /not a CloudEvent 1\.0/],
    ['another spec version', { ...created(), specversion: '0.3' }, /specversion/],
    ['an unknown type', { ...created(), type: 'task.exploded' }, /unknown event type "task\.exploded"/],
    [
      'data of the wrong shape',
      { ...created(), data: { user_id: 'x' } },
      /invalid task\.created data: user_id/,
    ],
    ['a bad time', { ...created(), time: 'yesterday' }, /time/],
  ])('rejects %s with a reason', (_, raw, reason) => {
    const parsed = parseEvent(raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});
