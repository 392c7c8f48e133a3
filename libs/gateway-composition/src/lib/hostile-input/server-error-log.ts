import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Collects what the app logs as errors (Nest's Logger: HTTP filter, GraphQL formatter, MCP server),
 * keyed by the request id being served, so a failure can be shown with its cause; the log lines
 * themselves are kept out of the test output. Call before the app listens: Fastify takes hooks
 * only until it is ready.
 */
export function collectServerErrors(app: NestFastifyApplication): {
  errorOf: (requestId: string) => string | undefined;
} {
  const currentRequest = new AsyncLocalStorage<string>();
  const errors = new Map<string, string>();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => currentRequest.run(request.id, done));
  jest.spyOn(Logger.prototype, 'error').mockImplementation((error: unknown) => {
    const requestId = currentRequest.getStore();
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (requestId) errors.set(requestId, text.split('\n')[0] ?? text);
  });
  return { errorOf: (requestId) => errors.get(requestId) };
}
