export * from './lib/logging.module';
export * from './lib/log-redaction';
export * from './lib/request-logging';
export * from './lib/request-trace';
export * from './lib/exit-on-startup-error';
