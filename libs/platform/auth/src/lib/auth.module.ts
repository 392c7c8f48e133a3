import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { createSecretKey } from 'node:crypto';
import { AccessTokens } from './access-tokens';

/** Token issuing and verification for the whole process (the guard itself comes with accounts). */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to read it as a public
        // key and fails, on every request (the largest CPU cost of an authenticated request).
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret)),
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.jwtTtlSeconds },
      }),
    }),
  ],
  providers: [AccessTokens],
  exports: [AccessTokens],
})
export class AuthModule {}
