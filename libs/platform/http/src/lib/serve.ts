import { type DynamicModule, Logger } from '@nestjs/common';
import type { AppConfig } from '@todo/config';
import { createHttpApp } from './create-http-app';
import { onShutdownSignal } from './run-until-signal';

/**
 * Starts a deployable: builds the app, listens, and on SIGTERM/SIGINT drains it before running
 * `afterClose` (e.g. stopping an embedded database). Returns the URL it listens on.
 */
export async function serve(
  root: DynamicModule,
  config: AppConfig,
  afterClose: Array<() => Promise<unknown>> = [],
) {
  const app = await createHttpApp(root, config);
  onShutdownSignal([() => app.close(), ...afterClose], (message) => Logger.log(message, 'Shutdown'));
  await app.listen({ port: config.http.port, host: config.http.host });
  return { app, url: await app.getUrl() };
}
