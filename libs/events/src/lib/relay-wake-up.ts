import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NOTIFY_RELAYS } from './outbox';

/** At most one NOTIFY per this window while writes keep coming (the first one goes at once). */
export const RELAY_NOTIFY_WINDOW_MS = 5;

/** The relay running in this process, as the wake-up sees it. */
export interface LocalRelay {
  /** Asks it to look for pending rows now; false when it cannot (stopped, backing off after a failure). */
  wake(): boolean;
}

/**
 * Wakes the outbox relay after a commit that wrote outbox rows. Writers call {@link committed} once
 * their statement or transaction has committed, never inside it: a NOTIFY inside the write would make
 * PostgreSQL serialize every writing commit on its cluster-wide notify lock, held through the WAL flush.
 *
 * When a relay runs in this process (standalone, and most distributed apps) it is woken in memory and
 * no NOTIFY is sent; if that relay then finds another process's relay holding the relay lock, it
 * forwards the wake-up with {@link notifyRelays}. Otherwise one NOTIFY from a pool connection, outside
 * any request's transaction, reaches every relay: coalesced (one at once, then at most one per
 * {@link RELAY_NOTIFY_WINDOW_MS} while wake-ups keep coming, each sent after the wake-ups it covers),
 * off the caller's path, failures logged and never thrown. A process that dies between its commit
 * and the wake-up, or a NOTIFY that fails, leaves the rows to the relays' safety-net poll
 * (`OUTBOX_POLL_INTERVAL_MS`): they are late, never lost.
 */
@Injectable()
export class RelayWakeUp implements OnModuleDestroy {
  private readonly logger = new Logger(RelayWakeUp.name);
  private localRelay: LocalRelay | null = null;
  private notifying: Promise<void> | null = null;
  private notifyAgain = false;
  private failing = false;
  private stopped = false;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.notifying;
  }

  /** Outbox rows were committed: wake a relay. Returns at once. */
  committed(): void {
    if (this.localRelay?.wake()) return;
    this.notifyRelays();
  }

  /** The relay of this process takes the wake-ups of this process's writers until the returned detach. */
  attach(relay: LocalRelay): () => void {
    this.localRelay = relay;
    return () => {
      if (this.localRelay === relay) this.localRelay = null;
    };
  }

  /** Wakes every relay listening on the database (coalesced, see the class). */
  notifyRelays(): void {
    if (this.stopped) return;
    this.notifyAgain = true;
    if (!this.notifying) this.notifying = this.sendNotifications();
  }

  private async sendNotifications(): Promise<void> {
    while (this.notifyAgain && !this.stopped) {
      this.notifyAgain = false;
      try {
        await this.dataSource.query(NOTIFY_RELAYS);
        this.failing = false;
      } catch (error) {
        // Once per failure streak: the relays' poll picks the rows up meanwhile.
        if (!this.failing)
          this.logger.warn(
            `waking the outbox relays failed (their poll will find the events): ${error instanceof Error ? error.message : String(error)}`,
          );
        this.failing = true;
      }
      await new Promise((resolve) => setTimeout(resolve, RELAY_NOTIFY_WINDOW_MS));
    }
    this.notifying = null; // in the same turn as the check above, so no wake-up falls between
  }
}
