import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { AccessTokens } from './access-tokens';

/** Token issuing and verification for the whole process (the guard itself comes with accounts). */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.jwtTtlSeconds },
      }),
    }),
  ],
  providers: [AccessTokens],
  exports: [AccessTokens],
})
export class AuthModule {}
