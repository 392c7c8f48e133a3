import { Module, RequestMethod } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Reuses a caller's request id when it is sane (tracing across services), otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** Structured JSON logs (pino), one line per request with its id; credentials never logged. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.log.level,
          // The HTTP server assigns the id (see createHttpApp); this is the fallback outside it.
          genReqId: (req: IncomingMessage) => (typeof req.id === 'string' ? req.id : requestIdFor(req)),
          customProps: () => ({ service: process.env['SERVICE_NAME'] ?? 'todo-assistant' }),
          autoLogging: {
            ignore: (req: IncomingMessage & { originalUrl?: string }) =>
              QUIET_PATHS.has((req.originalUrl ?? req.url ?? '').split('?')[0] ?? ''),
          },
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ status: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
