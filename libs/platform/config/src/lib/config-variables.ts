// Every environment variable the services read, declared once: its zod schema (type and default),
// what it means and which deployables read it. The env schemas (env-schema.ts) are built from these
// declarations, and the README's configuration table is generated from them (`npm run docs:config`).
import { z } from 'zod';
import { base64UrlKey, bool, int, list, trustProxy } from './env-values';

/** The deployables (apps/…) that validate their environment at boot. */
export const DEPLOYABLES = ['gateway', 'chat-agent', 'scheduler', 'audit', 'realtime', 'standalone'] as const;
export type Deployable = (typeof DEPLOYABLES)[number];

export interface ConfigVariable<S extends z.ZodType = z.ZodType, P extends string = string> {
  /** The value's type, limits and default. */
  readonly schema: S;
  /**
   * Where the value lands in `AppConfig` (dotted path). Without it the variable is read at boot
   * (secrets source), by a library (`readBy`), or combined with others in `toAppConfig`'s derived settings.
   */
  readonly at?: P;
  /** The README's "meaning" column (Markdown). */
  readonly description: string;
  readonly apps: readonly Deployable[];
  /** Said after the default in the README, e.g. what standalone does when the variable is unset. */
  readonly defaultNote?: string;
  /** A credential: provided from a secret (Kubernetes Secret, Dapr secret store), never a literal. */
  readonly secret?: true;
  /** Read by libraries, not by our code (`toAppConfig` or a boot-time reader); says which. */
  readonly readBy?: string;
}

const variable = <S extends z.ZodType, const P extends string = never>(declaration: ConfigVariable<S, P>) =>
  declaration;

const everyApp = DEPLOYABLES;
const eventConsumers: Deployable[] = ['scheduler', 'audit', 'realtime', 'standalone'];
const assistant: Deployable[] = ['gateway', 'chat-agent', 'standalone'];
const webPush: Deployable[] = ['gateway', 'scheduler', 'standalone'];
const gateway: Deployable[] = ['gateway', 'standalone'];
const standalone: Deployable[] = ['standalone'];
const scheduler: Deployable[] = ['scheduler', 'standalone'];
const realtime: Deployable[] = ['realtime', 'standalone'];
const httpUrl = () => z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' });

export const CONFIG_VARIABLES = {
  NODE_ENV: variable({
    schema: z.enum(['development', 'production', 'test']).default('development'),
    description:
      '`development`, `production` or `test`, for Node libraries (the images set `production`); the services behave the same under each',
    apps: everyApp,
    readBy: 'Node libraries',
  }),
  HOST: variable({
    at: 'http.host',
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'where HTTP listens (`0.0.0.0` in containers)',
    apps: everyApp,
  }),
  PORT: variable({
    at: 'http.port',
    schema: int(0, 65535).default(3000),
    description: 'the HTTP port',
    apps: everyApp,
  }),
  LOG_LEVEL: variable({
    at: 'log.level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description:
      "pino level; logs are JSON lines naming the `service`, with a request id (a sane `X-Request-Id` is honoured and returned) and a W3C `trace_id` (an incoming `traceparent` is continued); both go along to the chat-agent. Statement parameters and PostgreSQL's `detail` are never logged. A start-up failure is one `fatal` line naming the cause (e.g. the database's `host:port`), exit status 1",
    apps: everyApp,
  }),
  DATABASE_URL: variable({
    schema: z
      .url({ protocol: /^postgres(ql)?$/, message: 'expected a postgres:// or postgresql:// URL' })
      .optional(),
    description: '`postgres://…`',
    defaultNote: 'standalone: embedded',
    apps: everyApp,
    secret: true,
  }),
  DATABASE_POOL_SIZE: variable({
    at: 'database.poolSize',
    schema: int(1, 200).default(10),
    description: 'connections per process',
    apps: everyApp,
  }),
  MIGRATIONS_RUN: variable({
    at: 'database.migrationsRun',
    schema: bool.default(true),
    description: 'apply pending migrations at start',
    apps: everyApp,
  }),
  DATA_DIR: variable({
    at: 'dataDir',
    schema: z.string().min(1).default('.data'),
    description:
      "standalone data: embedded PostgreSQL cluster, its password, the JWT key, the VAPID keys; one process at a time (`postgres.lock` names the owner; a second start is refused, a killed owner's lock and database are taken over)",
    apps: standalone,
  }),
  EMBEDDED_POSTGRES_PORT: variable({
    at: 'database.embeddedPort',
    schema: int(0, 65535).default(0),
    description: 'port of the embedded PostgreSQL',
    defaultNote: 'a free port',
    apps: standalone,
  }),
  JWT_SECRET: variable({
    schema: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    description: 'HS256 signing key, ≥ 32 characters',
    defaultNote: 'standalone: generated',
    apps: everyApp,
    secret: true,
  }),
  JWT_TTL_SECONDS: variable({
    at: 'auth.jwtTtlSeconds',
    schema: int(60, 60 * 60 * 24 * 90).default(60 * 60 * 24 * 7),
    description: 'access-token lifetime',
    defaultNote: '7 days',
    apps: gateway,
  }),
  LOGIN_RATE_LIMIT_PER_MINUTE: variable({
    at: 'auth.loginRateLimitPerMinute',
    schema: int(1, 100_000).default(10),
    description:
      'sign-in attempts per client address per minute, REST and GraphQL together (each aliased `login` counts)',
    apps: gateway,
  }),
  REGISTRATION_RATE_LIMIT_PER_HOUR: variable({
    at: 'auth.registrationRateLimitPerHour',
    schema: int(1, 100_000).default(10),
    description: 'accounts registered per client address per hour, REST and GraphQL together',
    apps: gateway,
  }),
  CORS_ORIGINS: variable({
    at: 'http.corsOrigins',
    schema: list.default([]),
    description: 'comma-separated allowed origins, or `*`',
    apps: everyApp,
  }),
  HTTP_BODY_LIMIT_BYTES: variable({
    at: 'http.bodyLimitBytes',
    schema: int(1024, 50 * 1024 * 1024).default(256 * 1024),
    description: 'larger bodies get 413',
    apps: everyApp,
  }),
  HTTP_TRUST_PROXY: variable({
    at: 'http.trustProxy',
    schema: trustProxy.default(false),
    description:
      'which `X-Forwarded-For` hops tell the client address (rate limits, logs): `false`; the number of proxies in front (`1`); or their addresses/CIDRs (`10.0.0.0/8,127.0.0.1`); `true` trusts any hop, so only behind a proxy that overwrites the header',
    apps: everyApp,
  }),

  GRAPHQL_MAX_DOCUMENT_LENGTH: variable({
    at: 'graphql.maxDocumentLength',
    schema: int(100, 1_000_000).default(10_000),
    description: 'longest GraphQL document (characters); longer ones get 400 before parsing',
    apps: gateway,
  }),
  GRAPHQL_MAX_ROOT_FIELDS: variable({
    at: 'graphql.maxRootFields',
    schema: int(1, 1_000).default(20),
    description: 'top-level fields of one operation, each alias counted',
    apps: gateway,
  }),
  GRAPHQL_MAX_COST: variable({
    at: 'graphql.maxCost',
    schema: int(1, 10_000_000).default(50_000),
    description: 'largest estimated cost of one operation (see [GraphQL limits](#graphql-limits))',
    apps: gateway,
  }),
  GRAPHQL_RESOLVER_CONCURRENCY: variable({
    at: 'graphql.resolverConcurrency',
    schema: int(1, 100).default(2),
    description: 'resolvers of one GraphQL request running at once (each may hold a database connection)',
    apps: gateway,
  }),

  EVENT_TRANSPORT: variable({
    at: 'events.transport',
    schema: z.enum(['memory', 'kafka', 'dapr']).default('memory'),
    description: '`memory`, `kafka` or `dapr`; distributed apps must choose `kafka` or `dapr`',
    defaultNote: 'standalone only',
    apps: everyApp,
  }),
  EVENT_MAX_ATTEMPTS: variable({
    at: 'events.maxAttempts',
    schema: int(1, 100).default(5),
    description: 'deliveries per event and consumer before the dead-letter topic',
    apps: eventConsumers,
  }),
  EVENT_RETRY_BACKOFF_MS: variable({
    at: 'events.retryBackoffMs',
    schema: int(1, 60_000).default(200),
    description: 'first retry delay (doubles on every attempt)',
    apps: eventConsumers,
  }),
  OUTBOX_RELAY: variable({
    at: 'events.outbox.relay',
    schema: bool.default(true),
    description: 'run the outbox relay in this process (any number of processes may)',
    apps: everyApp,
  }),
  OUTBOX_BATCH_SIZE: variable({
    at: 'events.outbox.batchSize',
    schema: int(1, 10_000).default(200),
    description: 'rows per publish (doubling up to 8 × while batches come back full)',
    apps: everyApp,
  }),
  OUTBOX_POLL_INTERVAL_MS: variable({
    at: 'events.outbox.pollIntervalMs',
    schema: int(10, 60_000).default(1000),
    description: "the relay's safety-net poll (writers wake the relay after their commit)",
    apps: everyApp,
  }),
  OUTBOX_PUBLISH_TIMEOUT_MS: variable({
    at: 'events.outbox.publishTimeoutMs',
    schema: int(100, 300_000).default(15_000),
    description: 'a publish not acknowledged by then fails and is retried',
    apps: everyApp,
  }),
  OUTBOX_RETENTION_HOURS: variable({
    at: 'events.outbox.retentionHours',
    schema: int(1, 24 * 365).default(24 * 7),
    description: 'published outbox rows and inbox entries older than this are purged',
    apps: everyApp,
  }),

  KAFKA_BROKERS: variable({
    at: 'events.kafka.brokers',
    schema: list.default([]),
    description: 'comma-separated `host:port` bootstrap list',
    defaultNote: 'required for `kafka`',
    apps: everyApp,
  }),
  KAFKA_CLIENT_ID: variable({
    at: 'events.kafka.clientId',
    schema: z.string().min(1).default('todo'),
    description: 'kafkajs client id',
    apps: everyApp,
  }),
  KAFKA_GROUP_PREFIX: variable({
    at: 'events.kafka.groupPrefix',
    schema: z.string().default('todo.'),
    description: 'consumer group = prefix + consumer name + suffix',
    apps: eventConsumers,
  }),
  KAFKA_GROUP_SUFFIX: variable({
    at: 'events.kafka.groupSuffix',
    schema: z.string().default(''),
    description:
      'a new group without suffix starts at the earliest offset, a per-replica one (realtime: host name and pid unless set) at the latest',
    apps: eventConsumers,
  }),
  KAFKA_FETCH_MAX_WAIT_MS: variable({
    at: 'events.kafka.fetchMaxWaitMs',
    schema: int(10, 30_000).default(100),
    description:
      'how long a broker may hold an empty fetch (latency bound on brokers that do not answer early; idle polling rate)',
    apps: eventConsumers,
  }),
  KAFKA_CONSUMER_CONCURRENCY: variable({
    at: 'events.kafka.consumerConcurrency',
    schema: int(1, 1_000).default(32),
    description:
      'messages one consumer group of a process handles at once, of different keys (one key: one at a time, in order); its inbox commits those waiting together',
    apps: eventConsumers,
  }),
  KAFKA_SESSION_TIMEOUT_MS: variable({
    at: 'events.kafka.sessionTimeoutMs',
    schema: int(6_000, 300_000).default(10_000),
    description:
      "how long the group coordinator waits for a silent consumer before moving its partitions to the other replicas (6000–300000; within the broker's `group.min/max.session.timeout.ms`); heartbeats every third of it, at most 3 s",
    apps: eventConsumers,
  }),
  KAFKA_SSL: variable({
    at: 'events.kafka.ssl',
    schema: bool.default(false),
    description: 'TLS to the brokers',
    apps: everyApp,
  }),
  KAFKA_SASL_MECHANISM: variable({
    schema: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    description: 'SASL for managed clusters: `plain`, `scram-sha-256` or `scram-sha-512`',
    apps: everyApp,
  }),
  KAFKA_SASL_USERNAME: variable({
    schema: z.string().optional(),
    description: 'required with `KAFKA_SASL_MECHANISM`',
    apps: everyApp,
  }),
  KAFKA_SASL_PASSWORD: variable({
    schema: z.string().optional(),
    description: 'required with `KAFKA_SASL_MECHANISM`',
    apps: everyApp,
    secret: true,
  }),

  DAPR_HOST: variable({
    at: 'events.dapr.host',
    schema: z.string().min(1).default('127.0.0.1'),
    description: "the sidecar's HTTP API host",
    apps: everyApp,
  }),
  DAPR_HTTP_PORT: variable({
    at: 'events.dapr.httpPort',
    schema: int(1, 65535).default(3500),
    description: "the sidecar's HTTP API port",
    apps: everyApp,
  }),
  DAPR_PUBSUB_NAME: variable({
    at: 'events.dapr.pubsubName',
    schema: z.string().min(1).default('pubsub'),
    description: 'the pub/sub component name',
    apps: everyApp,
  }),
  DAPR_APP_PORT: variable({
    at: 'events.dapr.appPort',
    schema: int(0, 65535).default(3001),
    description:
      "where the app serves Dapr's subscription protocol and job callbacks (the sidecar's `--app-port`)",
    apps: eventConsumers,
  }),
  DAPR_SECRET_STORE: variable({
    schema: z.string().min(1).default('secretstore'),
    description: 'the secret store component read with `SECRETS_SOURCE=dapr`',
    apps: everyApp,
  }),
  DAPR_STATE_STORE: variable({
    at: 'chat.conversations.daprStateStore',
    schema: z.string().min(1).default('statestore'),
    description: 'the state store component of `CONVERSATION_STORE=dapr`',
    apps: assistant,
  }),

  SECRETS_SOURCE: variable({
    schema: z.enum(['env', 'dapr']).default('env'),
    description:
      '`env`: secrets from the environment only; `dapr`: `JWT_SECRET`, `DATABASE_URL`, `OPENAI_API_KEY` not set in the environment are read at boot from the Dapr secret store (secrets `jwt-secret`, `database-url`, `openai-api-key`), waiting up to 60 s for the sidecar; a missing or empty secret stays unset, a denied one or an unknown store stops the boot',
    apps: everyApp,
  }),

  REMINDER_TIMER: variable({
    at: 'reminders.timer',
    schema: z.enum(['postgres', 'dapr-jobs']).default('postgres'),
    description: '`postgres` (durable timer) or `dapr-jobs` (needs `EVENT_TRANSPORT=dapr`)',
    apps: scheduler,
  }),
  REMINDER_BATCH_SIZE: variable({
    at: 'reminders.batchSize',
    schema: int(1, 10_000).default(500),
    description: 'reminders fired per transaction',
    apps: scheduler,
  }),
  REMINDER_SWEEP_INTERVAL_MS: variable({
    at: 'reminders.sweepIntervalMs',
    schema: int(100, 3_600_000).default(30_000),
    description: 'longest sleep of the PostgreSQL timer (with Dapr Jobs: the safety-net sweep interval)',
    apps: scheduler,
  }),
  REMINDER_MISSED_AFTER_MINUTES: variable({
    at: 'reminders.missedAfterMinutes',
    schema: int(1, 60 * 24 * 365).default(60 * 24),
    description: 'a reminder found later than this after its time is marked `missed` instead of fired',
    apps: scheduler,
  }),

  REALTIME_MAX_CONNECTIONS_PER_USER: variable({
    at: 'realtime.maxConnectionsPerUser',
    schema: int(1, 1000).default(20),
    description: 'open sockets of one user per process; more are closed with 4409',
    apps: realtime,
  }),
  REALTIME_MAX_BUFFERED_BYTES: variable({
    at: 'realtime.maxBufferedBytes',
    schema: int(16 * 1024, 64 * 1024 * 1024).default(1024 * 1024),
    description:
      'unsent bytes one socket may have queued; a client that lets more pile up is closed with 4408',
    apps: realtime,
  }),
  REALTIME_HEARTBEAT_INTERVAL_MS: variable({
    at: 'realtime.heartbeatIntervalMs',
    schema: int(1000, 600_000).default(30_000),
    description: 'heartbeat messages and pings; a peer silent for one interval after a ping is terminated',
    apps: realtime,
  }),
  REALTIME_URL: variable({
    at: 'realtime.url',
    schema: httpUrl().optional(),
    description:
      "the realtime service's base URL, e.g. `http://realtime:3000`: the gateway then forwards `/realtime` (WebSocket) and `/api/v1/realtime/*` there, so the web app it serves gets live updates without a reverse proxy (Compose, `start:distributed`); leave it unset where an ingress routes them",
    defaultNote: 'not forwarded',
    apps: ['gateway'],
  }),

  CHAT_ENGINE: variable({
    schema: z.enum(['offline', 'llm']).optional(),
    description: 'which engine answers chat messages: `offline` or `llm`',
    defaultNote: '`llm` if `OPENAI_API_KEY` is set, else `offline`',
    apps: assistant,
  }),
  OPENAI_API_KEY: variable({
    at: 'chat.llm.apiKey',
    schema: z.string().min(1).optional(),
    description:
      'the key for the LLM engine; `llm` needs a key or a base URL (local servers often need no key)',
    apps: assistant,
    secret: true,
  }),
  OPENAI_BASE_URL: variable({
    at: 'chat.llm.baseUrl',
    schema: httpUrl().optional(),
    description: 'an OpenAI-compatible server for the LLM engine',
    defaultNote: "OpenAI's",
    apps: assistant,
  }),
  OPENAI_MODEL: variable({
    at: 'chat.llm.model',
    schema: z.string().min(1).default('gpt-4o-mini'),
    description: 'the model for the LLM engine',
    apps: assistant,
  }),
  LLM_TIMEOUT_MS: variable({
    at: 'chat.llm.timeoutMs',
    schema: int(1000, 600_000).default(30_000),
    description: 'limit of one model call (its retry included)',
    apps: assistant,
  }),
  LLM_MAX_STEPS: variable({
    at: 'chat.llm.maxSteps',
    schema: int(1, 20).default(5),
    description: 'model calls per message',
    apps: assistant,
  }),
  LLM_FALLBACK: variable({
    at: 'chat.llm.fallback',
    schema: z.enum(['offline', 'none']).default('offline'),
    description: '`offline`: the offline engine answers when the provider fails before any tool ran; `none`',
    apps: assistant,
  }),
  CHAT_HISTORY_MESSAGES: variable({
    at: 'chat.historyMessages',
    schema: int(0, 200).default(20),
    description: 'earlier messages of the conversation given to the engine',
    apps: assistant,
  }),
  CONVERSATION_STORE: variable({
    at: 'chat.conversations.store',
    schema: z.enum(['postgres', 'dapr']).default('postgres'),
    description:
      'where the chat-agent keeps conversations: `postgres` (its tables) or `dapr` (the state store `DAPR_STATE_STORE` through the sidecar)',
    apps: assistant,
  }),
  CHAT_AGENT_TRANSPORT: variable({
    at: 'chat.agent.transport',
    schema: z.enum(['in-process', 'http', 'dapr']).default('in-process'),
    description:
      'gateway → assistant: `in-process`, `http` (needs `CHAT_AGENT_URL`) or `dapr` (app id `CHAT_AGENT_APP_ID`)',
    apps: ['gateway'],
  }),
  CHAT_AGENT_URL: variable({
    at: 'chat.agent.url',
    schema: httpUrl().optional(),
    description: "the chat-agent's base URL, e.g. `http://chat-agent:3000`",
    defaultNote: 'required for `http`',
    apps: ['gateway'],
  }),
  CHAT_AGENT_APP_ID: variable({
    at: 'chat.agent.daprAppId',
    schema: z.string().min(1).default('chat-agent'),
    description: "the chat-agent's Dapr app id for `CHAT_AGENT_TRANSPORT=dapr`",
    apps: ['gateway'],
  }),
  CHAT_AGENT_TIMEOUT_MS: variable({
    at: 'chat.agent.timeoutMs',
    schema: int(1000, 600_000).default(60_000),
    description: 'longest wait for the chat-agent before a 503',
    apps: ['gateway'],
  }),

  VAPID_PUBLIC_KEY: variable({
    schema: base64UrlKey(65).optional(),
    description:
      'the Web Push public key in URL-safe base64 (`npx web-push generate-vapid-keys`); set with `VAPID_PRIVATE_KEY` or not at all, checked to be its pair; without them Web Push is off (its routes answer 404)',
    defaultNote: 'standalone: generated',
    apps: webPush,
  }),
  VAPID_PRIVATE_KEY: variable({
    schema: base64UrlKey(32).optional(),
    description: 'the Web Push private key in URL-safe base64',
    defaultNote: 'standalone: generated',
    apps: webPush,
    secret: true,
  }),
  VAPID_SUBJECT: variable({
    schema: z
      .url({ protocol: /^(mailto|https)$/, message: 'expected a mailto: address or an https:// URL' })
      .default('mailto:admin@localhost'),
    description:
      'contact for push services, `mailto:` or `https://` (set a real one: some services refuse a localhost contact)',
    apps: webPush,
  }),
  WEB_PUSH_ALLOW_HTTP_LOOPBACK: variable({
    at: 'webPush.allowHttpLoopback',
    schema: bool.default(false),
    description: 'accept `http://127.0.0.1` / `http://localhost` endpoints (tests, local push servers)',
    apps: webPush,
  }),
  WEB_PUSH_TIMEOUT_MS: variable({
    at: 'webPush.timeoutMs',
    schema: int(100, 120_000).default(5000),
    description: 'longest wait for one push service answer',
    apps: webPush,
  }),
  WEB_PUSH_MAX_IN_FLIGHT: variable({
    at: 'webPush.maxInFlight',
    schema: int(1, 10_000).default(64),
    description:
      'pushes sent and not yet answered at once, per process (also the most sockets to one push service); the others wait their turn, within `WEB_PUSH_TIMEOUT_MS`',
    apps: webPush,
  }),
  WEB_PUSH_TTL_SECONDS: variable({
    at: 'webPush.ttlSeconds',
    schema: int(0, 60 * 60 * 24 * 28).default(60 * 60 * 24),
    description: 'how long a push service keeps a notification for an offline browser',
    apps: webPush,
  }),
};

type Schemas<T> = { [K in keyof T]: T[K] extends ConfigVariable<infer S> ? S : never };

/** The zod shape of the declarations: each variable's schema under its name. */
export function schemasOf<T extends Record<string, ConfigVariable>>(declarations: T): Schemas<T> {
  return Object.fromEntries(
    Object.entries(declarations).map(([name, declaration]) => [name, declaration.schema]),
  ) as Schemas<T>;
}

/** A setting's place in `AppConfig` and its type. */
interface Placed {
  readonly path: string;
  readonly value: unknown;
}

/** The variables that have an `at`, as their place and parsed type. */
export type PlacedVariables<T> = {
  [N in keyof T]: T[N] extends ConfigVariable<infer S, infer P>
    ? [P] extends [never]
      ? never
      : { path: P; value: z.output<S> }
    : never;
}[keyof T];

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type Below<L extends Placed, H extends string> = L extends { path: `${H}.${infer R}`; value: infer V }
  ? { path: R; value: V }
  : never;

/** The nested object type of dotted paths: `{path: 'a.b', value: V}` becomes `{ a: { b: V } }`. */
export type SettingsTree<L extends Placed> = {
  readonly [H in Head<L['path']>]: [Extract<L, { path: H }>] extends [never]
    ? SettingsTree<Below<L, H>>
    : Extract<L, { path: H }>['value'];
};

/** Puts each value of a `path → value` map at its dotted path. */
export function treeOf(values: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let node = root;
    for (const key of keys) node = (node[key] ??= {}) as Record<string, unknown>;
    node[last] = value;
  }
  return root;
}
