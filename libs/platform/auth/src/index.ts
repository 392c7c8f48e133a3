export * from './lib/access-tokens';
export * from './lib/actor';
export * from './lib/auth.module';
export * from './lib/jwt-auth.guard';
export * from './lib/request-context';
