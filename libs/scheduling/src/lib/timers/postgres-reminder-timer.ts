import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { listenForNotifications } from '@todo/database';
import { REMINDERS_CHANNEL } from '@todo/reminders';
import { Clock } from '../clock';
import { ReminderFiring } from '../reminder-firing';

const RETRY_DELAY_MS = 1000;

/**
 * The durable timer (default): the reminders table is the schedule. It fires what is due, then
 * sleeps until the earliest scheduled reminder — at most `REMINDER_SWEEP_INTERVAL_MS` — and is woken
 * early by the NOTIFY a transaction sends when it schedules a reminder before that. Start-up is
 * just the first round, so reminders that came due while no scheduler ran fire at once. Any number
 * of replicas may run it: claims use `FOR UPDATE SKIP LOCKED`. It needs no word of task changes (the
 * transaction that schedules a reminder writes the row and the NOTIFY), so it is no `ReminderTimer`.
 *
 * With `REMINDER_TIMER=dapr-jobs` it runs as the safety net only: no LISTEN, one sweep per interval
 * (and at start-up) for reminders whose job never came.
 */
@Injectable()
export class PostgresReminderTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PostgresReminderTimer.name);
  private readonly stopped = new AbortController();
  private loop: Promise<void> | null = null;
  private listening: Promise<void> | null = null;
  /** When the sleeping loop plans to look next, and how to wake it sooner. */
  private wakeAt = 0;
  private wakeUp: (() => void) | null = null;
  /** The earliest fire time notified while awake: the round's query may have missed it. */
  private notifiedWhileAwake = Infinity;

  constructor(
    private readonly firing: ReminderFiring,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
    if (this.sweepOnly) return;
    this.listening = listenForNotifications({
      databaseUrl: this.config.database.url,
      channel: REMINDERS_CHANNEL,
      onNotification: (payload) => this.wakeIfEarlier(Number(payload)),
      onListening: () => this.wakeIfEarlier(0), // something may have been scheduled meanwhile
      reconnectDelayMs: RETRY_DELAY_MS,
      signal: this.stopped.signal,
      logger: this.logger,
    });
  }

  private get sweepOnly(): boolean {
    return this.config.reminders.timer !== 'postgres';
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped.abort();
    this.wakeUp?.();
    await Promise.all([this.loop, this.listening]);
  }

  private async run(): Promise<void> {
    const { batchSize, sweepIntervalMs } = this.config.reminders;
    while (!this.stopped.signal.aborted) {
      let delay: number;
      this.notifiedWhileAwake = Infinity;
      try {
        if ((await this.firing.fireDue()) === batchSize) continue;
        const next = this.sweepOnly ? null : await this.firing.nextFireAt();
        const untilNext = next ? next.getTime() - this.clock.now().getTime() : sweepIntervalMs;
        delay = Math.max(0, Math.min(untilNext, sweepIntervalMs));
      } catch (error) {
        this.logger.warn(
          `firing reminders failed, retrying in ${RETRY_DELAY_MS} ms: ${error instanceof Error ? error.message : String(error)}`,
        );
        delay = RETRY_DELAY_MS;
      }
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    const wakeAt = this.clock.now().getTime() + ms;
    if (this.stopped.signal.aborted || this.notifiedWhileAwake < wakeAt) return Promise.resolve();
    this.wakeAt = wakeAt;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.wakeAt = 0;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** A reminder was scheduled for `fireAtMs`: look now if that is before the planned wake-up. */
  private wakeIfEarlier(fireAtMs: number): void {
    const at = Number.isFinite(fireAtMs) ? fireAtMs : 0;
    if (!this.wakeUp) this.notifiedWhileAwake = Math.min(this.notifiedWhileAwake, at);
    else if (at < this.wakeAt) this.wakeUp();
  }
}
