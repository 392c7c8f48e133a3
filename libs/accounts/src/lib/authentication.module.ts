import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountChanges, ActorResolver, JwtAuthGuard } from '@todo/auth';
import { AccountsService } from './accounts.service';
import { CachedActorResolver } from './cached-actor-resolver';
import { UserEntity } from './user.entity';

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
