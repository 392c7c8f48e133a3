import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { storage, type Store } from 'nestjs-pino/storage';
import { type DestinationStream, type Logger, pino } from 'pino';
import { REDACTED_PATHS, serializeError } from './log-redaction';
import { traceOf } from './request-trace';

/** Where the log lines go instead of stdout (tests read them); undefined: stdout. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

export const ABORTED_REQUEST_MESSAGE = 'client closed the connection before the response was complete';

/** The fields every log line of a service starts with. */
export function logLineBase(service: string) {
  return { pid: process.pid, hostname: hostname(), service };
}

/** What a request line says of the request: its id (the trace's request id), method and target. */
interface LoggedRequest {
  id: string;
  method?: string;
  url?: string;
}

/**
 * The process's logger and the per-request part of logging: every line written while serving a
 * request carries the request and its trace (`req`, `trace_id`, `span_id`), and each request gets one
 * line when its response is done (`request completed`, or why not), at `info`.
 *
 * The lines are pino-http's, written without it: pino-http builds two child loggers per request
 * (serializing and redacting the request each time) and computes its line even when `info` is off.
 * Here the request's logger is made when a line is written, and the request line is only prepared
 * when it will be written.
 */
@Injectable()
export class RequestLogging {
  readonly root: Logger;
  private readonly linePerRequest: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOG_DESTINATION) destination: DestinationStream | undefined,
  ) {
    this.root = pino(
      {
        level: config.log.level,
        base: logLineBase(config.service),
        redact: REDACTED_PATHS,
        serializers: {
          err: serializeError,
          req: ({ id, method, url }: LoggedRequest) => ({ id, method, url }),
          // No status before the head was sent (a client that hung up first), as pino-http says it.
          res: (res: ServerResponse) => ({ status: res.headersSent ? res.statusCode : null }),
        },
      },
      destination,
    );
    this.linePerRequest = this.root.isLevelEnabled('info');
  }

  /** Serves a request (`next`) in its log context, and logs its line when the response is done. */
  begin(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const context = new RequestLogContext(this.root, request);
    if (this.linePerRequest && !QUIET_PATHS.has((request.url ?? '').split('?')[0] ?? ''))
      logWhenDone(request, response, context);
    storage.run(context, next);
  }
}

/**
 * nestjs-pino's per-request store (its `PinoLogger` logs through `logger`), with the request's child
 * logger made on first use. `PinoLogger.assign` replaces `logger`; the request line keeps the first.
 */
class RequestLogContext implements Store {
  private requestLogger?: Logger;
  private assigned?: Logger;
  readonly responseLogger = undefined;

  constructor(
    private readonly root: Logger,
    private readonly request: IncomingMessage,
  ) {}

  get logger(): Logger {
    return this.assigned ?? this.forRequest();
  }

  set logger(logger: Logger) {
    this.assigned = logger;
  }

  forRequest(): Logger {
    if (!this.requestLogger) {
      const { requestId, traceId, spanId } = traceOf(this.request);
      const { method, url } = this.request;
      this.requestLogger = this.root.child({
        req: { id: requestId, method, url } satisfies LoggedRequest,
        trace_id: traceId,
        span_id: spanId,
      });
    }
    return this.requestLogger;
  }
}

/** The client went away before the response was complete: its business, not a server fault. */
function wasAborted(request: IncomingMessage, response: ServerResponse): boolean {
  return request.readableAborted || !response.writableEnded;
}

/** One line when the response finished, failed, or its connection closed first (whichever comes first). */
function logWhenDone(request: IncomingMessage, response: ServerResponse, context: RequestLogContext): void {
  const startedAt = Date.now();
  const done = (error?: Error) => {
    response.removeListener('close', done);
    response.removeListener('finish', done);
    response.removeListener('error', done);
    const responseTime = Date.now() - startedAt;
    const log = context.forRequest();
    if (error || response.statusCode >= 500) {
      const err = error ?? new Error(`failed with status code ${response.statusCode}`);
      log.info({ res: response, err, responseTime }, 'request errored');
    } else {
      const message = wasAborted(request, response) ? ABORTED_REQUEST_MESSAGE : 'request completed';
      log.info({ res: response, responseTime }, message);
    }
  };
  response.on('close', done);
  response.on('finish', done);
  response.on('error', done);
}
