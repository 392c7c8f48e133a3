import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AccountChanges, type Actor, ActorResolver } from '@todo/auth';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { listenForNotifications } from '@todo/database';
import { LRUCache } from 'lru-cache';
import type { Repository } from 'typeorm';
import { UserEntity } from './user.entity';

/** NOTIFYed by a trigger on `users` (payload: the user id) when an account changes or goes. */
const ACCOUNTS_CHANNEL = 'accounts_changed';
const MAX_CACHED_ACTORS = 10_000;
/** A backstop only: changes evict at once through the channel. */
const CACHED_ACTOR_TTL_MS = 10 * 60_000;
const RELISTEN_DELAY_MS = 1_000;

/**
 * ActorResolver with the account lookup every authenticated request needs kept in memory. It is only
 * trusted while this process LISTENs for account changes: when LISTEN is down, every request reads
 * the database, and the cache starts empty once it is back. Deleted accounts are never cached.
 */
@Injectable()
export class CachedActorResolver
  extends ActorResolver
  implements AccountChanges, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(CachedActorResolver.name);
  private readonly actors = new LRUCache<string, Actor>({ max: MAX_CACHED_ACTORS, ttl: CACHED_ACTOR_TTL_MS });
  private readonly stopped = new AbortController();
  private readonly changeListeners = new Set<(userId: string) => void>();
  private listening: Promise<void> | undefined;
  private live = false;
  /** Bumped by every eviction: a lookup that started before one must not store what it read. */
  private generation = 0;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async resolve(userId: string): Promise<Actor | null> {
    const cached = this.live ? this.actors.get(userId) : undefined;
    if (cached) return cached;
    const generation = this.generation;
    const user = await this.users.findOne({ where: { id: userId }, select: ['id', 'timeZone'] });
    if (!user) return null;
    const actor: Actor = { userId: user.id, timeZone: user.timeZone };
    if (this.live && generation === this.generation) this.actors.set(userId, actor);
    return actor;
  }

  /** Drops what this process knows of the account now, before other processes hear of it. */
  forget(userId: string): void {
    this.generation++;
    this.actors.delete(userId);
    for (const listener of this.changeListeners) listener(userId);
  }

  /** {@link AccountChanges}: called after the account is evicted, so a lookup then reads it fresh. */
  subscribe(listener: (userId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onApplicationBootstrap(): void {
    this.listening = listenForNotifications({
      databaseUrl: this.config.database.url,
      channel: ACCOUNTS_CHANNEL,
      onNotification: (userId) => this.forget(userId),
      onListening: () => {
        this.generation++;
        this.actors.clear(); // changes made while not listening were not heard
        this.live = true;
      },
      onListenLost: () => {
        this.live = false;
      },
      reconnectDelayMs: RELISTEN_DELAY_MS,
      signal: this.stopped.signal,
      logger: this.logger,
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.live = false;
    this.stopped.abort();
    await this.listening;
  }
}
