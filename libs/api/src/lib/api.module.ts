import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { AUDIT_MIGRATIONS, AuditApiModule } from '@todo/audit';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { CHAT_MIGRATIONS } from '@todo/chat';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { REALTIME_MIGRATIONS } from '@todo/realtime';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { TasksApiModule } from '@todo/tasks-api';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { WEB_PUSH_MIGRATIONS, WebPushApiModule } from '@todo/web-push';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refuseJsonDocuments } from './graphql-documents';
import { formatGraphqlErrors } from './graphql-errors';
import { graphqlLimitRules, maxDocumentLengthHook } from './graphql-limits';
import { ConcurrencyLimit, limitResolverConcurrency } from './resolver-concurrency';

/** Every schema migration, in order; one database serves all services. */
export const ALL_MIGRATIONS = [
  ...ACCOUNTS_MIGRATIONS,
  ...TASKS_MIGRATIONS,
  ...REMINDERS_MIGRATIONS,
  ...EVENTS_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
  ...CHAT_MIGRATIONS,
  ...WEB_PUSH_MIGRATIONS,
  ...REALTIME_MIGRATIONS,
];

/**
 * The front door: accounts, tasks, their history and Web Push subscriptions over REST (`/api/v1`) and
 * GraphQL (`/graphql`).
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [APP_CONFIG],
      useFactory: ({ graphql: limits }: AppConfig): MercuriusDriverConfig => ({
        autoSchemaFile: true,
        sortSchema: true,
        path: '/graphql',
        // GraphiQL loads its scripts from a CDN; the offline-first product documents REST with Swagger UI.
        graphiql: false,
        queryDepth: 8,
        hooks: { preParsing: [refuseJsonDocuments, maxDocumentLengthHook(limits.maxDocumentLength)] },
        validationRules: graphqlLimitRules(limits),
        // The cost depends on the variables (a page size may be one), which a per-document cache of
        // validation results would not see.
        cache: false,
        // One operation per request: a batch would multiply every limit above.
        allowBatchedQueries: false,
        transformResolvers: limitResolverConcurrency,
        context: (req: FastifyRequest, reply: FastifyReply) => ({
          req,
          reply,
          resolverSlots: new ConcurrencyLimit(limits.resolverConcurrency),
        }),
        errorFormatter: formatGraphqlErrors as MercuriusDriverConfig['errorFormatter'],
        // Documents that fail to parse or validate reach the server-wide handler (HTTP 400, common error shape).
        errorHandler: false,
      }),
    }),
    AccountsModule,
    TasksApiModule,
    AuditApiModule,
    WebPushApiModule,
  ],
})
export class ApiModule {}
