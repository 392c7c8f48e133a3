import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const TRACEPARENT_HEADER = 'traceparent';

/** One request as this service serves it: its id and its place in a W3C Trace Context trace. */
interface RequestTrace {
  /** The caller's `X-Request-Id` when it is sane, otherwise a new uuid. */
  readonly requestId: string;
  /** 32 hex digits: the caller's trace, or a new one. */
  readonly traceId: string;
  /** 16 hex digits: this service's span, the parent of every call it makes for the request. */
  readonly spanId: string;
  /** Trace flags (2 hex digits), kept from the caller; `01` (sampled) for a trace started here. */
  readonly flags: string;
}

// Echoed in a response header and written to logs: short, and nothing that could forge a log line.
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;
// Trace Context level 1. A later version may append fields after the fourth; version 00 may not.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The caller's trace context when its `traceparent` is valid by the W3C rules, else undefined. */
export function parseTraceparent(header: unknown): { traceId: string; flags: string } | undefined {
  if (typeof header !== 'string') return undefined; // absent, or sent twice
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return { traceId, flags };
}

/** `traceparent` value naming `trace.spanId` as the parent of the next hop. */
export function formatTraceparent(trace: Pick<RequestTrace, 'traceId' | 'spanId' | 'flags'>): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

// A synchronous randomBytes call per id costs tens of µs; drawing from a pool makes it negligible
// (as Node does for randomUUID).
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomOffset = 0;
  }
  randomOffset += bytes;
  return randomPool.toString('hex', randomOffset - bytes, randomOffset);
}

const traces = new WeakMap<IncomingMessage, RequestTrace>();

/**
 * The trace of an incoming request, worked out once from its headers: the HTTP server's request id,
 * the log lines and the calls made while serving it all use the same one.
 */
export function traceOf(request: IncomingMessage): RequestTrace {
  let trace = traces.get(request);
  if (!trace) {
    const givenId = request.headers[REQUEST_ID_HEADER];
    const parent = parseTraceparent(request.headers[TRACEPARENT_HEADER]);
    trace = {
      requestId: typeof givenId === 'string' && ACCEPTABLE_REQUEST_ID.test(givenId) ? givenId : randomUUID(),
      traceId: parent?.traceId ?? randomHex(16),
      spanId: randomHex(8),
      flags: parent?.flags ?? '01',
    };
    traces.set(request, trace);
  }
  return trace;
}

const storage = new AsyncLocalStorage<RequestTrace>();
const scopes = new WeakMap<IncomingMessage, AsyncResource>();

/**
 * Makes the request's trace current for everything that serves it. Route handlers run from the
 * request stream's `end` event, outside the async context of the first hook, hence the
 * AsyncResource that later hooks re-enter (`continueTrace`).
 */
export function beginTrace(request: IncomingMessage, next: () => void): void {
  storage.run(traceOf(request), () => {
    const scope = new AsyncResource('request-trace');
    scopes.set(request, scope);
    scope.runInAsyncScope(next);
  });
}

/** Re-enters the request's trace after its body was read (a hook running before the handler). */
export function continueTrace(request: IncomingMessage, next: () => void): void {
  const scope = scopes.get(request);
  if (scope) scope.runInAsyncScope(next);
  else next();
}

/** Headers that carry the current request's id and trace to another service (none outside a request). */
export function outgoingTraceHeaders(): Record<string, string> {
  const trace = storage.getStore();
  return trace
    ? { [REQUEST_ID_HEADER]: trace.requestId, [TRACEPARENT_HEADER]: formatTraceparent(trace) }
    : {};
}
