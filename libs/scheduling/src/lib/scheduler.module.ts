import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { RemindersConfig } from '@todo/config';
import { EventsModule } from '@todo/events';
import { TasksModule } from '@todo/tasks';
import { Clock, systemClock } from './clock';
import { RecurrenceConsumer } from './recurrence.consumer';
import { ReminderFiring } from './reminder-firing';
import { ReminderJobsConsumer } from './reminder-jobs.consumer';
import { DaprJobsReminderTimer } from './timers/dapr-jobs-reminder-timer';
import { PostgresReminderTimer } from './timers/postgres-reminder-timer';
import { ReminderTimer } from './timers/reminder-timer';

/**
 * The scheduler: fires reminders and rolls recurring tasks forward. The PostgreSQL timer always
 * runs (as the timer, or as the safety-net sweep next to Dapr Jobs); with `REMINDER_TIMER=dapr-jobs`
 * a consumer of `task-events` keeps one Dapr job per scheduled reminder.
 */
@Module({})
export class SchedulerModule {
  /** `clock` lets tests move time instead of waiting for it. */
  static forRoot(reminders: Pick<RemindersConfig, 'timer'>, clock: Clock = systemClock): DynamicModule {
    const daprJobs = reminders.timer === 'dapr-jobs';
    const daprTimer: Provider[] = daprJobs
      ? [{ provide: ReminderTimer, useClass: DaprJobsReminderTimer }]
      : [];
    return {
      module: SchedulerModule,
      imports: [EventsModule, TasksModule],
      controllers: [RecurrenceConsumer, ...(daprJobs ? [ReminderJobsConsumer] : [])],
      providers: [{ provide: Clock, useValue: clock }, ReminderFiring, PostgresReminderTimer, ...daprTimer],
      exports: [ReminderFiring],
    };
  }
}
