import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { REDACTED_PATHS, serializeError } from './log-redaction';
import { traceOf } from './request-trace';

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** The client went away before the response was complete: its business, not a server fault. */
function wasAborted(req: IncomingMessage, res: ServerResponse): boolean {
  return req.readableAborted || !res.writableEnded;
}

/** The fields every log line of a service starts with. */
export function logLineBase(service: string) {
  return { pid: process.pid, hostname: hostname(), service };
}

export const ABORTED_REQUEST_MESSAGE = 'client closed the connection before the response was complete';

/**
 * Structured JSON logs (pino), one line per request with its id and trace; every line names the
 * service (`AppConfig.service`); credentials and statement parameters are never logged.
 * `destination` replaces stdout (tests read the lines from it).
 */
@Module({})
export class LoggingModule {
  static forRoot(options: { destination?: DestinationStream } = {}): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
            pinoHttp: {
              level: config.log.level,
              stream: options.destination,
              base: logLineBase(config.service),
              // The HTTP server assigns the same id (see createHttpApp).
              genReqId: (req: IncomingMessage) => traceOf(req).requestId,
              customProps: (req: IncomingMessage) => {
                const { traceId, spanId } = traceOf(req);
                return { trace_id: traceId, span_id: spanId };
              },
              autoLogging: {
                ignore: (req: IncomingMessage & { originalUrl?: string }) =>
                  QUIET_PATHS.has((req.originalUrl ?? req.url ?? '').split('?')[0] ?? ''),
              },
              customSuccessMessage: (req: IncomingMessage, res: ServerResponse) =>
                wasAborted(req, res) ? ABORTED_REQUEST_MESSAGE : 'request completed',
              redact: REDACTED_PATHS,
              serializers: {
                err: serializeError,
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
    };
  }
}
