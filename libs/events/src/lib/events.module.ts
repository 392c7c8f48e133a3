import { Module } from '@nestjs/common';
import { Inbox } from './inbox';
import { RelayWakeUp } from './relay-wake-up';
import { CreateOutboxAndInbox1763700002000 } from './migrations/1763700002000-create-outbox-and-inbox';

export const EVENTS_MIGRATIONS = [CreateOutboxAndInbox1763700002000];

/**
 * The inbox for consumers, and the relay's wake-up for producers: they call `appendToOutbox` inside
 * their own transactions and `RelayWakeUp.committed` after the commit.
 */
@Module({ providers: [Inbox, RelayWakeUp], exports: [Inbox, RelayWakeUp] })
export class EventsModule {}
