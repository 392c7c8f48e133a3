import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@todo/config';
import { recordHttpMetrics, metricsRegistry } from '@todo/metrics';
import { beginTrace, continueTrace, REQUEST_ID_HEADER, RequestLogging, traceOf } from '@todo/logging';
import helmet from 'helmet';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { completeOpenApiDocument } from './api-zod';
import { HttpExceptionFilter, sendErrorResponse } from './http-exception.filter';

const API_PREFIX = 'api/v1';

/**
 * Fastify binds a route to the error handler in force when the route is added, so ours must be set
 * before Nest adds routes. Nest's own (set after the routes, hence never used by them) is skipped,
 * which also keeps Fastify from warning about an override.
 */
class JsonErrorsFastifyAdapter extends FastifyAdapter {
  override setErrorHandler() {
    return this.getInstance();
  }
}

/**
 * Builds a Fastify-based Nest app with the platform's cross-cutting concerns: logging, metrics,
 * security headers, CORS, body limits, one error shape, the API prefix and OpenAPI docs.
 */
export async function createHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  config: AppConfig,
): Promise<NestFastifyApplication> {
  const adapter = new JsonErrorsFastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: (request: IncomingMessage) => traceOf(request).requestId,
    // No Nest middleware here (request logging is a hook, see below): without middie, requests do
    // not pass through an empty middleware chain. A module that adds middleware fails at start-up.
    skipMiddie: true,
  });
  // Fastify's own JSON parser only: forms and plain text get a 415 instead of reaching validation.
  // A module that fails to start (e.g. no database) rejects here instead of Nest printing it in plain
  // text and exiting: the app's start-up error handler logs it as one JSON line.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  // Errors Fastify raises before a route runs (malformed JSON, body too large, wrong media type).
  fastify.setErrorHandler(sendErrorResponse);
  const requestLogging = app.get(RequestLogging);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // The log context first, so that the trace's scope (re-entered once the body is read) has it too.
    requestLogging.begin(request.raw, reply.raw, () => beginTrace(request.raw, done));
  });
  fastify.addHook('preValidation', (request, _reply, done) => continueTrace(request.raw, done));
  recordHttpMetrics(fastify, metricsRegistry);
  // Built once: @fastify/helmet rebuilds the middleware (parsing the CSP again) on every request.
  const securityHeaders = helmet({
    // Swagger UI and GraphiQL are served from here and need inline styles and scripts.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)),
  );
  app.enableCors({
    origin: config.http.corsOrigins.includes('*') ? true : [...config.http.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics', 'mcp'] });
  app.useGlobalFilters(new HttpExceptionFilter());

  const openApi = new DocumentBuilder()
    .setTitle('Todo assistant API')
    .setDescription('Tasks, accounts and search. Authenticate with `Authorization: Bearer <access_token>`.')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the paths are served by whichever host serves this document.
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = () => completeOpenApiDocument(SwaggerModule.createDocument(app, openApi));
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}
