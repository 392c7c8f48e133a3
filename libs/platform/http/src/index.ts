export * from './lib/create-http-app';
export * from './lib/error-response';
export * from './lib/http-exception.filter';
export * from './lib/run-until-signal';
export * from './lib/zod-body.pipe';
export * from './lib/platform.module';
export * from './lib/api-zod';
export * from './lib/serve';
