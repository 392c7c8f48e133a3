export * from './lib/accounts.module';
export * from './lib/accounts-migrations';
export * from './lib/authentication.module';
export * from './lib/accounts.schemas';
export * from './lib/accounts.service';
