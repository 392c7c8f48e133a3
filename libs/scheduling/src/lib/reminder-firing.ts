import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { appendToOutbox, createEvent, type DomainEvent, RelayWakeUp } from '@todo/events';
import { type ClaimedReminder, claimDueReminders } from '@todo/reminders';
import { dueFromStored, formatDue } from '@todo/tasks';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from './clock';
import { reminderMetrics } from './reminder-metrics';

export type FireOutcome = 'fired' | 'missed' | 'not-due' | 'gone';

/** A job may trigger slightly before its time (clock skew between hosts): accept that much. */
const EARLY_TOLERANCE_MS = 1000;

/**
 * Fires reminders. One transaction claims due reminders (`FOR UPDATE SKIP LOCKED`, so replicas
 * share the work and never fire one twice), checks each task is still open, marks the reminder
 * fired and writes `reminder.due` to the outbox: the event exists if and only if the reminder is
 * marked fired. A reminder found more than `REMINDER_MISSED_AFTER_MINUTES` late (the scheduler was
 * down) is marked `missed` instead, without an event; one whose task is no longer open is cancelled.
 */
@Injectable()
export class ReminderFiring {
  private readonly logger = new Logger(ReminderFiring.name);
  private readonly metrics = reminderMetrics();
  private readonly source: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly relay: RelayWakeUp,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.source = `/todo/${config.service}`;
  }

  /** Fires up to one batch of due reminders, oldest first; returns how many were claimed. */
  async fireDue(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.dataSource.transaction((tx) =>
      this.claim(tx, now, { dueBy: now, limit: this.config.reminders.batchSize, id: null }),
    );
    this.record(claimed, now);
    return claimed.length;
  }

  /** Fires one reminder if it is scheduled and due (a Dapr job's callback). */
  async fireReminder(id: string): Promise<FireOutcome> {
    const now = this.clock.now();
    const dueBy = new Date(now.getTime() + EARLY_TOLERANCE_MS);
    const claimed = await this.dataSource.transaction((tx) => this.claim(tx, now, { dueBy, limit: 1, id }));
    this.record(claimed, now);
    if (claimed[0]) return claimed[0].state === 'cancelled' ? 'gone' : claimed[0].state;
    const [row]: Array<{ state: string }> = await this.dataSource.query(
      `SELECT state FROM reminders WHERE id = $1`,
      [id],
    );
    return row?.state === 'scheduled' ? 'not-due' : 'gone';
  }

  /** When the next scheduled reminder is due (null when none is). */
  async nextFireAt(): Promise<Date | null> {
    const [row]: Array<{ next: Date | null }> = await this.dataSource.query(
      `SELECT min(fire_at) AS next FROM reminders WHERE state = 'scheduled'`,
    );
    return row?.next ?? null;
  }

  private async claim(
    tx: EntityManager,
    now: Date,
    which: { dueBy: Date; limit: number; id: string | null },
  ): Promise<ClaimedReminder[]> {
    const missedBefore = new Date(now.getTime() - this.config.reminders.missedAfterMinutes * 60_000);
    const rows = await claimDueReminders(tx, { ...which, missedBefore, now });
    const fired = rows.filter((row) => row.state === 'fired');
    await appendToOutbox(
      tx,
      fired.map((row) => this.dueEvent(row, now)),
    );
    return rows;
  }

  private dueEvent(row: ClaimedReminder, firedAt: Date): DomainEvent<'reminder.due'> {
    return createEvent('reminder.due', {
      source: this.source,
      subject: row.task_id,
      time: firedAt,
      data: {
        user_id: row.owner_id,
        reminder: {
          id: row.id,
          before: row.before,
          at: row.at?.toISOString() ?? null,
          fire_at: row.fire_at.toISOString(),
        },
        task: {
          id: row.task_id,
          number: row.number,
          title: row.title,
          due: formatDue(dueFromStored(row.due_at, row.due_all_day, row.time_zone), row.time_zone),
          time_zone: row.time_zone,
        },
        fired_at: firedAt.toISOString(),
      },
    });
  }

  /** After the commit: wakes the relay for the events, metrics, and a log line per missed reminder. */
  private record(rows: readonly ClaimedReminder[], now: Date): void {
    if (rows.some((row) => row.state === 'fired')) this.relay.committed();
    for (const row of rows) {
      this.metrics.outcomes.inc({ outcome: row.state });
      if (row.state === 'fired')
        this.metrics.lateness.observe((now.getTime() - row.fire_at.getTime()) / 1000);
      if (row.state === 'missed')
        this.logger.warn(
          `reminder ${row.id} of task ${row.task_id} was due at ${row.fire_at.toISOString()}, more than the missed-after limit ago: marked missed, not fired`,
        );
    }
  }
}
