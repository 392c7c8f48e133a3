export * from './lib/accounts.module';
export * from './lib/accounts.schemas';
export * from './lib/accounts.service';
