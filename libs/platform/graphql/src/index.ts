export * from './lib/graphql-server.module';
export * from './lib/graphql-zod';
