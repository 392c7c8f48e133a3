/**
 * Port of a timer kept in line with every task change (`ReminderJobsConsumer`): Dapr Jobs. The
 * reminders table is the source of truth; a timer only decides when to look. The PostgreSQL timer
 * reads the table itself and is not one.
 */
export abstract class ReminderTimer {
  /**
   * Brings the timer in line with one task's reminders after a task event (schedule new or moved
   * reminders, cancel ones that are gone or no longer scheduled). `knownReminderIds` are the ids the
   * event mentioned: reminders of a deleted task are gone from the table but may still have timers.
   */
  abstract syncTask(taskId: string, knownReminderIds: readonly string[]): Promise<void>;
}
