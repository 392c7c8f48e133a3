export * from './lib/app-errors';
export * from './lib/database-errors';
export * from './lib/zod-errors';
