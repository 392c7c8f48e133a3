import { type DynamicModule, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@todo/config';
import { createHttpApp } from './create-http-app';
import { forwardToUpstream, type UpstreamRoutes } from './forward-to-upstream';
import { onShutdownSignal } from './run-until-signal';
import { serveWebApp } from './web-app';

interface ServeOptions {
  /** Runs after the app is built, before it listens (e.g. starting event consumers). */
  beforeListen?: (app: NestFastifyApplication, config: AppConfig) => Promise<void>;
  /** Runs after the app closed on shutdown (e.g. stopping an embedded database). */
  afterClose?: Array<() => Promise<unknown>>;
  /** Where the built browser app is (`dist/apps/web`); served at `/` when it exists. */
  webAppDir?: string;
  /** Another service's routes served through this one (no reverse proxy in front). */
  forward?: UpstreamRoutes;
}

/**
 * Starts a deployable: builds the app, listens, and on SIGTERM/SIGINT drains it (HTTP, consumers,
 * relay, pools) before running `afterClose`. Returns the URL it listens on.
 */
export async function serve(root: DynamicModule, config: AppConfig, options: ServeOptions = {}) {
  const app = await createHttpApp(root, config);
  onShutdownSignal([() => app.close(), ...(options.afterClose ?? [])], (message) =>
    Logger.log(message, 'Shutdown'),
  );
  await options.beforeListen?.(app, config);
  if (options.forward) await forwardToUpstream(app, options.forward);
  if (options.webAppDir) await serveWebApp(app, options.webAppDir);
  await app.listen({ port: config.http.port, host: config.http.host });
  return { app, url: await app.getUrl() };
}
