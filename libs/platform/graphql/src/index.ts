export * from './lib/graphql-server.module';
