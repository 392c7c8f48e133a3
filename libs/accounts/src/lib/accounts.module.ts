import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActorResolver, JwtAuthGuard } from '@todo/auth';
import { AccountsController } from './accounts.controller';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { CreateUsers1763700000000 } from './migrations/1763700000000-create-users';
import { UserEntity } from './user.entity';

export const ACCOUNTS_MIGRATIONS = [CreateUsers1763700000000];

/**
 * Accounts: register, sign in, profile. Also installs the global bearer-token guard, since it is
 * the module that can tell whether a token's user still exists.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  controllers: [AccountsController],
  providers: [
    AccountsService,
    AccountsResolver,
    { provide: ActorResolver, useExisting: AccountsService },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AccountsService],
})
export class AccountsModule {}
