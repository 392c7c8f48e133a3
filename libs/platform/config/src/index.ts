export * from './lib/app-config';
export * from './lib/config.module';
export * from './lib/env-schema';
export * from './lib/parse-env';
export * from './lib/persistent-secret';
export * from './lib/create-directory';
export * from './lib/startup-errors';
