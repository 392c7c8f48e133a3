export * from './lib/audit.module';
export * from './lib/audit-log.consumer';
export * from './lib/audit.schemas';
