import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountChanges, ActorResolver, JwtAuthGuard } from '@todo/auth';
import { APP_CONFIG } from '@todo/config';
import { AccountsController } from './accounts.controller';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { authRateLimits } from './auth-rate-limit';
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

/**
 * Accounts: register, sign in, profile, over REST and GraphQL; every other route needs a token.
 * Sign-in and registration are rate limited per client address (in this process's memory).
 */
@Module({
  imports: [
    AuthenticationModule,
    ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: authRateLimits }),
  ],
  controllers: [AccountsController],
  providers: [AccountsResolver],
})
export class AccountsModule {}
