import type { DaprClient, LoggerService } from '@dapr/dapr';
import { Logger } from '@nestjs/common';

type DaprSdk = typeof import('@dapr/dapr');
let sdk: DaprSdk | undefined;

/**
 * `@dapr/dapr`, loaded on first use: it pulls in gRPC, Express and protobuf code (0.4 s on a quiet
 * machine, seconds under load), which a process without a sidecar never needs.
 */
export function daprSdk(): DaprSdk {
  sdk ??= require('@dapr/dapr') as DaprSdk;
  return sdk;
}

/** Where the sidecar's HTTP API listens (`DAPR_HOST`, `DAPR_HTTP_PORT`). */
export interface SidecarAddress {
  readonly host: string;
  readonly httpPort: number;
}

/** One call to the sidecar, unless the caller says otherwise. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** `http://host:port` of the Dapr sidecar's HTTP API (an IPv6 host in brackets). */
export function sidecarUrl(address: SidecarAddress): string {
  return `http://${bracketed(address.host)}:${address.httpPort}`;
}

const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/**
 * A refused or unanswered call to the sidecar. `status` is the sidecar's HTTP status (absent when
 * it did not answer) and `body` its answer, e.g. `{"errorCode":"ERR_STATE_SAVE","message":"…"}`.
 */
export class SidecarCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly body: string,
  ) {
    super(message);
    this.name = 'SidecarCallError';
  }
}

/**
 * The official SDK's `DaprClient` (HTTP protocol) for one sidecar, with what the SDK leaves out:
 *
 * - a deadline per call: the SDK's requests have no timeout. A call that passes its deadline is
 *   answered at once; its request is left to finish on its own (the SDK cannot cancel it).
 * - no wait for the sidecar: left alone, the SDK's first call polls `GET /v1.0/metadata` every
 *   500 ms, up to 60 times, before it sends anything, and keeps polling after the caller gave up.
 *   The client is marked started instead (`IClient.setIsInitialized`): readiness is the
 *   `/v1.0/healthz/outbound` probe's, a call to an absent sidecar fails at once (the outbox relay
 *   retries), and the one caller that must wait for a starting sidecar (the secrets read at boot)
 *   retries until its own deadline.
 * - errors that name the status and the sidecar's reason: the SDK throws `Error(JSON.stringify({
 *   error, error_msg, status }))` for a non-2xx answer, a node-fetch error when nothing answered, and
 *   some calls (publish, state save/delete) return `{ error }` instead of throwing; `call` turns all
 *   of them into a {@link SidecarCallError}.
 * - its log lines go to Nest's logger at debug level: the caller reports failures itself.
 */
export class DaprSidecar {
  readonly client: DaprClient;
  /** The address in messages: `http://host:port`. */
  readonly url: string;

  constructor(
    address: SidecarAddress,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.url = sidecarUrl(address);
    const { DaprClient, CommunicationProtocolEnum, LogLevel } = daprSdk();
    this.client = new DaprClient({
      daprHost: bracketed(address.host),
      daprPort: String(address.httpPort),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      logger: { level: LogLevel.Warn, service: sdkLogger },
    });
    this.client.daprClient.setIsInitialized(true);
  }

  /**
   * Runs `request` against the SDK client within `timeoutMs`; `what` names the call in errors
   * ("publish to task-events"). A result with an `error` (the SDK's non-throwing calls) is a failure.
   */
  async call<T>(
    what: string,
    request: (client: DaprClient) => Promise<T>,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SidecarCallError(
              `could not ${what}: the Dapr sidecar at ${this.url} did not answer within ${timeoutMs} ms`,
              undefined,
              '',
            ),
          ),
        timeoutMs,
      );
    });
    const attempt = (async () => {
      const result = await request(this.client);
      const failure = (result as { error?: unknown } | undefined)?.error;
      if (failure) throw failure;
      return result;
    })();
    try {
      return await Promise.race([attempt, deadline]);
    } catch (error) {
      throw error instanceof SidecarCallError ? error : this.describe(what, error);
    } finally {
      clearTimeout(timer);
      attempt.catch(() => undefined); // settled after the deadline: already reported
    }
  }

  private describe(what: string, error: unknown): SidecarCallError {
    const refused = refusal(error);
    if (refused)
      return new SidecarCallError(
        `the Dapr sidecar refused to ${what}: HTTP ${refused.status}${refused.body ? ` ${refused.body.slice(0, 500)}` : ''}`,
        refused.status,
        refused.body,
      );
    return new SidecarCallError(
      `could not ${what}: the Dapr sidecar at ${this.url} did not answer (${describeError(error)})`,
      undefined,
      '',
    );
  }
}

/** The status and body of the SDK's error for a non-2xx answer (`{"error","error_msg","status"}`). */
function refusal(error: unknown): { status: number; body: string } | undefined {
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message !== 'string' || !message.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(message) as { status?: unknown; error_msg?: unknown };
    if (typeof parsed.status !== 'number') return undefined;
    return {
      status: parsed.status,
      body: typeof parsed.error_msg === 'string' ? parsed.error_msg.trim() : '',
    };
  } catch {
    return undefined;
  }
}

/** "connect ECONNREFUSED 127.0.0.1:3500", "DAPR_SIDECAR_COULD_NOT_BE_STARTED"… */
export function describeError(error: unknown): string {
  // duck-typed: errors may come from another realm (`instanceof Error` fails under Jest)
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const { message, code, cause } = error as {
    message: unknown;
    code?: unknown;
    cause?: { code?: unknown; message?: unknown };
  };
  const detail = cause ? String(cause.code ?? cause.message ?? '') : typeof code === 'string' ? code : '';
  return detail && !String(message).includes(detail) ? `${String(message)} (${detail})` : String(message);
}

const nestLogger = new Logger('DaprClient');
const text = (message: unknown, params: unknown[]) =>
  [message, ...params].map((part) => (typeof part === 'string' ? part : String(part))).join(' ');

/** The SDK's errors and warnings, at debug level: callers report failures with their context. */
const sdkLogger: LoggerService = {
  error: (message: unknown, ...params: unknown[]) => nestLogger.debug(text(message, params)),
  warn: (message: unknown, ...params: unknown[]) => nestLogger.debug(text(message, params)),
  info: () => undefined,
  verbose: () => undefined,
  debug: () => undefined,
};
