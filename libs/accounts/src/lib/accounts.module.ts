import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountChanges, ActorResolver, JwtAuthGuard } from '@todo/auth';
import { AccountsController } from './accounts.controller';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { CachedActorResolver } from './cached-actor-resolver';
import { CreateUsers1763700000000 } from './migrations/1763700000000-create-users';
import { NotifyAccountChanges1763700010000 } from './migrations/1763700010000-notify-account-changes';
import { UserEntity } from './user.entity';

export const ACCOUNTS_MIGRATIONS = [CreateUsers1763700000000, NotifyAccountChanges1763700010000];

/**
 * The global bearer-token guard and what it needs to tell whether a token's user still exists.
 * Services without account endpoints (the chat-agent, realtime) import only this.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  providers: [
    AccountsService,
    CachedActorResolver,
    { provide: ActorResolver, useExisting: CachedActorResolver },
    { provide: AccountChanges, useExisting: CachedActorResolver },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AccountsService, ActorResolver, AccountChanges],
})
export class AuthenticationModule {}

/** Accounts: register, sign in, profile, over REST and GraphQL; every other route needs a token. */
@Module({
  imports: [AuthenticationModule],
  controllers: [AccountsController],
  providers: [AccountsResolver],
})
export class AccountsModule {}
