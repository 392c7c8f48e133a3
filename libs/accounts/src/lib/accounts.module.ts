import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '@todo/config';
import { AccountsController } from './accounts.controller';
import { AccountsResolver } from './accounts.resolver';
import { authRateLimits } from './auth-rate-limit';
import { AuthenticationModule } from './authentication.module';

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
