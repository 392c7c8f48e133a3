import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pLimit from 'p-limit';
import { refuseJsonDocuments } from './graphql-documents';
import { formatGraphqlErrors } from './graphql-errors';
import { graphqlLimitRules, maxDocumentLengthHook, type UnsizedLists } from './graphql-limits';
import { limitResolverConcurrency } from './resolver-concurrency';

export type { UnsizedLists } from './graphql-limits';

/**
 * The GraphQL endpoint (`/graphql`) with its limits (document length, depth, root fields, estimated
 * cost, resolver concurrency) and the common error shape. The schema is built from the resolvers of the
 * modules imported next to it; `unsizedLists` tells the cost estimate how long their unsized lists are.
 */
@Module({})
export class GraphqlServerModule {
  static forRoot(unsizedLists: UnsizedLists): DynamicModule {
    return {
      module: GraphqlServerModule,
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
            validationRules: graphqlLimitRules(limits, unsizedLists),
            // The cost depends on the variables (a page size may be one), which a per-document cache of
            // validation results would not see.
            cache: false,
            // One operation per request: a batch would multiply every limit above.
            allowBatchedQueries: false,
            transformResolvers: limitResolverConcurrency,
            context: (req: FastifyRequest, reply: FastifyReply) => ({
              req,
              reply,
              resolverSlots: pLimit(limits.resolverConcurrency),
            }),
            errorFormatter: formatGraphqlErrors as MercuriusDriverConfig['errorFormatter'],
            // Documents that fail to parse or validate reach the server-wide handler (HTTP 400, common error shape).
            errorHandler: false,
          }),
        }),
      ],
    };
  }
}
