import { Module } from '@nestjs/common';
import { Inbox } from './inbox';
import { CreateOutboxAndInbox1763700002000 } from './migrations/1763700002000-create-outbox-and-inbox';

export const EVENTS_MIGRATIONS = [CreateOutboxAndInbox1763700002000];

/** The inbox for consumers; producers call `appendToOutbox` inside their own transactions. */
@Module({ providers: [Inbox], exports: [Inbox] })
export class EventsModule {}
