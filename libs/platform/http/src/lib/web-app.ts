import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths that belong to the server, never to the browser app (their 404s stay JSON). */
const SERVER_PREFIXES = ['/api', '/graphql', '/mcp', '/health', '/metrics', '/realtime', '/dapr', '/job'];

const isServerPath = (url: string) =>
  SERVER_PREFIXES.some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`),
  );

/**
 * Serves the built browser app (`dist/apps/web`) at `/` from the API's own origin: hashed assets
 * with a long cache life (gzip/brotli copies made at build time), and `index.html` for every other
 * GET that is not a server path, so the app's own routes survive a reload. Call before `listen`.
 */
export async function serveWebApp(app: NestFastifyApplication, directory: string): Promise<boolean> {
  if (!existsSync(join(directory, 'index.html'))) {
    Logger.warn(`no web app at ${directory} (build it with "npx nx build web"); / is not served`, 'WebApp');
    return false;
  }
  await app.register(fastifyStatic, {
    root: directory,
    wildcard: false,
    preCompressed: true,
    index: false,
    cacheControl: false,
    // Vite names assets by content hash: they never change; everything else is revalidated.
    setHeaders: (reply, path) => {
      void reply.header(
        'cache-control',
        path.startsWith(join(directory, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/*', (request, reply) => {
    if (isServerPath(request.url)) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  fastify.get('/', (_request, reply) => reply.sendFile('index.html'));
  return true;
}
