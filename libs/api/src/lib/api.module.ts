import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { AUDIT_MIGRATIONS, AuditApiModule } from '@todo/audit';
import { CHAT_MIGRATIONS } from '@todo/chat';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { REALTIME_MIGRATIONS } from '@todo/realtime';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { TasksApiModule } from '@todo/tasks-api';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatGraphqlErrors } from './graphql-errors';

/** Every schema migration, in order; one database serves all services. */
export const ALL_MIGRATIONS = [
  ...ACCOUNTS_MIGRATIONS,
  ...TASKS_MIGRATIONS,
  ...REMINDERS_MIGRATIONS,
  ...EVENTS_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
  ...CHAT_MIGRATIONS,
  ...REALTIME_MIGRATIONS,
];

/** The front door: accounts, tasks and their history over REST (`/api/v1`) and GraphQL (`/graphql`). */
@Module({
  imports: [
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      // GraphiQL loads its scripts from a CDN; the offline-first product documents REST with Swagger UI.
      graphiql: false,
      queryDepth: 8,
      context: (req: FastifyRequest, reply: FastifyReply) => ({ req, reply }),
      errorFormatter: formatGraphqlErrors as MercuriusDriverConfig['errorFormatter'],
      // Documents that fail to parse or validate reach the server-wide handler (HTTP 400, common error shape).
      errorHandler: false,
    }),
    AccountsModule,
    TasksApiModule,
    AuditApiModule,
  ],
})
export class ApiModule {}
