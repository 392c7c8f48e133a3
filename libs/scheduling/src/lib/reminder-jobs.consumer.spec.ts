import { createEvent } from '@todo/events';
import { sampleTaskSnapshot } from '@todo/events/testing';
import { randomUUID } from 'node:crypto';
import { ReminderJobsConsumer } from './reminder-jobs.consumer';
import { reminderIdOfJob, reminderJobName } from './timers/dapr-jobs-reminder-timer';
import { ReminderTimer } from './timers/reminder-timer';

class RecordingTimer extends ReminderTimer {
  readonly calls: Array<{ taskId: string; knownReminderIds: readonly string[] }> = [];
  async syncTask(taskId: string, knownReminderIds: readonly string[]): Promise<void> {
    this.calls.push({ taskId, knownReminderIds });
  }
}

const reminder = (id = randomUUID()) => ({
  id,
  before: 'PT1H',
  at: null,
  fire_at: new Date().toISOString(),
  state: 'scheduled' as const,
  fired_at: null,
  created_at: new Date().toISOString(),
});

describe('ReminderJobsConsumer', () => {
  it('syncs the task with the reminders of both its states, so removed ones lose their jobs', async () => {
    const timer = new RecordingTimer();
    const kept = reminder();
    const removed = reminder();
    const before = sampleTaskSnapshot({ reminders: [kept, removed] });
    const after = { ...before, reminders: [kept] };
    const user = randomUUID();
    await new ReminderJobsConsumer(timer).updated(
      createEvent('task.updated', {
        source: '/todo/test',
        subject: after.id,
        data: {
          user_id: user,
          actor: { type: 'user', id: user },
          task: after,
          previous: before,
          changed_fields: ['reminders'],
        },
      }),
    );
    expect(timer.calls).toEqual([{ taskId: after.id, knownReminderIds: [kept.id, removed.id] }]);
  });

  it('syncs a deleted task with the reminders it had', async () => {
    const timer = new RecordingTimer();
    const task = sampleTaskSnapshot({ reminders: [reminder()] });
    const user = randomUUID();
    await new ReminderJobsConsumer(timer).deleted(
      createEvent('task.deleted', {
        source: '/todo/test',
        subject: task.id,
        data: { user_id: user, actor: { type: 'user', id: user }, task },
      }),
    );
    expect(timer.calls[0]?.knownReminderIds).toEqual([task.reminders[0]?.id]);
  });
});

describe('reminder job names', () => {
  it('round-trip a reminder id and reject other names', () => {
    const id = randomUUID();
    expect(reminderIdOfJob(reminderJobName(id.toUpperCase()))).toBe(id);
    expect(reminderIdOfJob('nightly-cleanup')).toBeUndefined();
    expect(reminderIdOfJob('reminder-not-a-uuid')).toBeUndefined();
  });
});
