import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { listenForNotifications } from '@todo/database';
import {
  claimPendingEvents,
  markPublished,
  OUTBOX_CHANNEL,
  outboxBacklog,
  type PendingOutboxRow,
  purgeInbox,
  purgePublishedEvents,
  recordPublishFailure,
  RelayWakeUp,
} from '@todo/events';
import { DataSource, type EntityManager } from 'typeorm';
import { asError } from '../consumer/deliver';
import { backoffDelay, sleep, withTimeout } from '../consumer/retry';
import { EventPublisher } from '../event-publisher';
import { outboxMetrics } from './outbox-metrics';

const PURGE_EVERY_MS = 10 * 60_000;
/** How far a relay that is behind grows its batches beyond `OUTBOX_BATCH_SIZE`. */
const MAX_BATCH_GROWTH = 8;

/**
 * Publishes outbox rows in id order and marks them published only after the transport acknowledged.
 * Woken in memory by this process's writers after their commit ({@link RelayWakeUp}), by NOTIFY from
 * other processes' writers, and by a poll as the safety net. A failed batch is retried with backoff
 * and nothing after it is published first, so one task's events never overtake each other. Several
 * replicas may run it: a transaction-scoped advisory lock elects one per batch, so a relay woken by
 * its own process that finds the lock taken NOTIFYs the others (the holder may have claimed before
 * those rows committed). Published rows are purged after the retention period.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly metrics = outboxMetrics();
  private readonly stopped = new AbortController();
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;
  /** A wake-up from this process's writers came since the last claim (forwarded if the lock is taken). */
  private localWakeRequested = false;
  private backingOff = false;
  private detachWakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private listening: Promise<void> | null = null;
  private housekeeping: Promise<void> | null = null;
  private lastGaugeUpdate = 0;
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wakeUps: RelayWakeUp,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.events.outbox.relay) return;
    this.detachWakeUp = this.wakeUps.attach({ wake: () => this.wakeLocally() });
    this.listening = this.listen();
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.detachWakeUp?.();
    this.stopped.abort(new Error('relay stopped'));
    this.wake();
    await Promise.all([this.loop, this.listening]);
    await this.housekeeping;
  }

  /** Asks the relay to look for pending rows now. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /** A writer of this process committed outbox rows; false when this relay cannot see to them soon. */
  private wakeLocally(): boolean {
    if (this.stopped.signal.aborted || this.backingOff) return false;
    this.localWakeRequested = true;
    this.wake();
    return true;
  }

  private async run(): Promise<void> {
    const { batchSize, pollIntervalMs, publishTimeoutMs } = this.config.events.outbox;
    let failures = 0;
    let size = batchSize;
    while (!this.stopped.signal.aborted) {
      this.wakeRequested = false;
      const forwardIfLocked = this.localWakeRequested;
      this.localWakeRequested = false;
      try {
        const started = performance.now();
        const { published, locked } = await this.relayBatch(size);
        const tookMs = performance.now() - started;
        failures = 0;
        this.backingOff = false;
        // Only a wake-up of our own is forwarded: one that came by NOTIFY reached the holder as well.
        if (!locked && forwardIfLocked) this.wakeUps.notifyRelays();
        this.keepHouse();
        // A full batch means the relay is behind: catch up in bigger ones (fewer round trips per
        // event), as long as one is acknowledged well within the publish timeout (the memory broker
        // acknowledges only when every consumer handled the whole batch).
        const behind = published === size;
        const roomy = tookMs < publishTimeoutMs / 4;
        size = behind && roomy ? Math.min(size * 2, batchSize * MAX_BATCH_GROWTH) : batchSize;
        if (behind) continue;
      } catch (error) {
        failures++;
        this.backingOff = true;
        this.metrics.failures.inc();
        const delay = backoffDelay({ backoffMs: 100, maxBackoffMs: 10_000 }, failures);
        this.logger.warn(
          `publishing failed (attempt ${failures}, next in ${delay} ms): ${asError(error).message}`,
        );
        await sleep(delay, this.stopped.signal).catch(() => undefined);
        continue;
      }
      await this.idle(pollIntervalMs);
    }
  }

  /** Publishes the oldest pending rows; returns how many, and whether it had the relay lock. */
  private async relayBatch(batchSize: number): Promise<{ published: number; locked: boolean }> {
    const { publishTimeoutMs } = this.config.events.outbox;
    let failed: { ids: string[]; error: Error } | null = null;
    return this.dataSource
      .transaction(async (tx) => {
        const { locked, rows } = await claimPendingEvents(tx, batchSize);
        if (rows.length === 0) return { published: 0, locked };
        try {
          await withTimeout(
            this.publisher.publish(
              rows.map((row) => ({ topic: row.topic, key: row.partition_key, json: row.event })),
            ),
            publishTimeoutMs,
            `the transport did not acknowledge within ${publishTimeoutMs} ms`,
          );
        } catch (error) {
          failed = { ids: rows.map((row) => row.id), error: asError(error) };
          throw failed.error;
        }
        await this.markPublished(tx, rows);
        return { published: rows.length, locked };
      })
      .catch(async (error: unknown) => {
        if (failed) await this.recordFailure(failed.ids, failed.error);
        throw error;
      });
  }

  private async markPublished(tx: EntityManager, rows: PendingOutboxRow[]): Promise<void> {
    await markPublished(
      tx,
      rows.map((row) => row.id),
    );
    const now = Date.now();
    for (const row of rows)
      this.metrics.publishLatency.observe((now - new Date(row.created_at).getTime()) / 1000);
    this.metrics.published.inc(rows.length);
  }

  private async recordFailure(ids: string[], error: Error): Promise<void> {
    await recordPublishFailure(this.dataSource, ids, error.message).catch(() => undefined);
  }

  /**
   * Refreshes the backlog gauges and purges old rows beside the relay loop, not in it: a slow count
   * or purge must not hold back the next batch (the wake-up of every event written meanwhile).
   */
  private keepHouse(): void {
    this.housekeeping ??= this.housekeep()
      .catch((error: unknown) => this.logger.warn(`outbox housekeeping failed: ${asError(error).message}`))
      .finally(() => (this.housekeeping = null));
  }

  /** Refreshes the backlog gauges (at most once a second) and purges old rows (every ten minutes). */
  private async housekeep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastGaugeUpdate >= 1000) {
      this.lastGaugeUpdate = now;
      const backlog = await outboxBacklog(this.dataSource);
      this.metrics.pending.set(backlog.pending);
      this.metrics.oldestPendingAge.set(backlog.age);
    }
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      const hours = this.config.events.outbox.retentionHours;
      await purgePublishedEvents(this.dataSource, hours);
      await purgeInbox(this.dataSource, hours);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.wakeRequested || this.stopped.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }

  /** A dedicated connection LISTENs for other processes' wake-ups; it reconnects when dropped. */
  private listen(): Promise<void> {
    return listenForNotifications({
      databaseUrl: this.config.database.url,
      channel: OUTBOX_CHANNEL,
      onNotification: () => this.wake(),
      onListening: () => this.wake(), // rows may have been written while we were not listening
      reconnectDelayMs: this.config.events.outbox.pollIntervalMs,
      signal: this.stopped.signal,
      logger: this.logger,
    });
  }
}
