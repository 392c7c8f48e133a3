import { EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, type TaskSnapshot } from '@todo/events';
import { ReminderTimer } from './timers/reminder-timer';

const REMINDER_JOBS_CONSUMER = 'reminder-jobs';

type TaskFact = DomainEvent<
  'task.created' | 'task.updated' | 'task.completed' | 'task.reopened' | 'task.deleted'
>;

/**
 * With `REMINDER_TIMER=dapr-jobs`: after every task event, brings the task's Dapr jobs in line with
 * its reminders. Syncing is idempotent (it reads the current rows), so redeliveries are harmless.
 */
@EventConsumer()
export class ReminderJobsConsumer {
  constructor(private readonly timer: ReminderTimer) {}

  @EventPattern('task.created', { consumer: REMINDER_JOBS_CONSUMER })
  created(@Payload() event: DomainEvent<'task.created'>) {
    return this.sync(event);
  }

  @EventPattern('task.updated', { consumer: REMINDER_JOBS_CONSUMER })
  updated(@Payload() event: DomainEvent<'task.updated'>) {
    return this.sync(event);
  }

  @EventPattern('task.completed', { consumer: REMINDER_JOBS_CONSUMER })
  completed(@Payload() event: DomainEvent<'task.completed'>) {
    return this.sync(event);
  }

  @EventPattern('task.reopened', { consumer: REMINDER_JOBS_CONSUMER })
  reopened(@Payload() event: DomainEvent<'task.reopened'>) {
    return this.sync(event);
  }

  @EventPattern('task.deleted', { consumer: REMINDER_JOBS_CONSUMER })
  deleted(@Payload() event: DomainEvent<'task.deleted'>) {
    return this.sync(event);
  }

  private sync(event: TaskFact): Promise<void> {
    const snapshots: TaskSnapshot[] = [event.data.task];
    if ('previous' in event.data) snapshots.push(event.data.previous);
    const ids = new Set(snapshots.flatMap((task) => task.reminders.map((reminder) => reminder.id)));
    return this.timer.syncTask(event.data.task.id, [...ids]);
  }
}
