export * from './lib/data-source-options';
export * from './lib/database.module';
export * from './lib/embedded-postgres-server';
export * from './lib/migrate-command';
export * from './lib/migration-runner';
export * from './lib/listen-for-notifications';
export * from './lib/prepared-statement';
