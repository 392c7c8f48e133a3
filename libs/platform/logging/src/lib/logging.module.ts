import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { LOG_DESTINATION, RequestLogging } from './request-logging';

/**
 * Structured JSON logs (pino), one line per request with its id and trace; every line names the
 * service (`AppConfig.service`); credentials and statement parameters are never logged.
 * `destination` replaces stdout (tests read the lines from it).
 *
 * Nest's logger is nestjs-pino's, over {@link RequestLogging}'s logger; the request context it logs
 * with is entered by the HTTP server's first hook (`RequestLogging.begin`), not by a Nest middleware:
 * the middleware layer alone cost more per request than the lines.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(options: { destination?: DestinationStream } = {}): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        { provide: LOG_DESTINATION, useValue: options.destination },
        RequestLogging,
        {
          provide: PARAMS_PROVIDER_TOKEN,
          inject: [RequestLogging],
          useFactory: (logging: RequestLogging): Params => ({ pinoHttp: { logger: logging.root } }),
        },
        PinoLogger,
        Logger,
      ],
      exports: [RequestLogging, PinoLogger, Logger],
    };
  }
}
