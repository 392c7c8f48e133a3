import { createEvent } from '@todo/events';
import { sampleTaskSnapshot } from '@todo/events/testing';
import { randomUUID } from 'node:crypto';
import { auditEntryFrom } from './audit-entry';

const userId = randomUUID();
const actor = { type: 'user' as const, id: userId };
const before = sampleTaskSnapshot({
  number: 7,
  title: 'Dentist',
  created_at: '2030-01-01T10:00:00.000Z',
  updated_at: '2030-01-01T10:00:00.000Z',
});
const event = <T extends Parameters<typeof createEvent>[0]>(
  type: T,
  data: Parameters<typeof createEvent<T>>[1]['data'],
) =>
  createEvent(type, {
    source: '/todo/test',
    subject: before.id,
    data,
    time: new Date('2030-01-02T08:00:00Z'),
  });

describe('auditEntryFrom', () => {
  it('records a creation with no before state and no changes', () => {
    const entry = auditEntryFrom(event('task.created', { user_id: userId, actor, task: before }));
    expect(entry).toMatchObject({
      action: 'created',
      before: null,
      after: before,
      changes: {},
      taskNumber: 7,
    });
    expect(entry.occurredAt.toISOString()).toBe('2030-01-02T08:00:00.000Z');
  });

  it('lists changed fields with old and new values, ignoring bookkeeping fields', () => {
    const after = {
      ...before,
      title: 'Dentist at 2pm',
      tags: ['health'],
      version: 2,
      updated_at: '2030-01-02T08:00:00.000Z',
    };
    const entry = auditEntryFrom(
      event('task.updated', {
        user_id: userId,
        actor,
        task: after,
        previous: before,
        changed_fields: ['title', 'tags'],
      }),
    );
    expect(entry.changes).toEqual({
      title: { from: 'Dentist', to: 'Dentist at 2pm' },
      tags: { from: [], to: ['health'] },
    });
  });

  it('records a deletion with the last state as before and nothing after', () => {
    const entry = auditEntryFrom(event('task.deleted', { user_id: userId, actor, task: before }));
    expect(entry).toMatchObject({ action: 'deleted', before, after: null, changes: {} });
  });

  it('records a fired reminder as `reminded` by the scheduler, the reminder as its only change', () => {
    const reminder = {
      id: randomUUID(),
      before: 'PT1H',
      at: null,
      fire_at: '2030-01-03T08:00:00.000Z',
    };
    const reminded = createEvent('reminder.due', {
      source: '/todo/standalone',
      subject: before.id,
      time: new Date('2030-01-03T08:00:01.000Z'),
      data: {
        user_id: userId,
        reminder,
        task: { id: before.id, number: 7, title: 'Dentist', due: '2030-01-03T09:00:00Z', time_zone: 'UTC' },
        fired_at: '2030-01-03T08:00:00.500Z',
      },
    });
    expect(auditEntryFrom(reminded)).toEqual({
      eventId: reminded.id,
      userId,
      taskId: before.id,
      taskNumber: 7,
      action: 'reminded',
      actor: { type: 'service', id: 'scheduler' },
      before: null,
      after: null,
      changes: {
        reminder: {
          from: null,
          to: { ...reminder, fired_at: '2030-01-03T08:00:00.500Z', task_title: 'Dentist' },
        },
      },
      occurredAt: new Date('2030-01-03T08:00:00.500Z'),
    });
  });
});
