import type { Env } from './env-schema';

/** The validated configuration every module reads, grouped by concern. */
export interface AppConfig {
  /** Which deployable this is (`standalone`, `gateway`, `audit`…): event source, consumer group names. */
  readonly service: string;
  readonly dataDir: string;
  readonly log: { readonly level: Env['LOG_LEVEL'] };
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly corsOrigins: readonly string[];
    readonly bodyLimitBytes: number;
    /** Fastify's `trustProxy`: which X-Forwarded-For hops may tell the client address. */
    readonly trustProxy: boolean | number | string[];
  };
  readonly graphql: GraphqlLimits;
  readonly database: {
    readonly url: string;
    readonly poolSize: number;
    readonly migrationsRun: boolean;
    readonly embeddedPort: number;
  };
  readonly auth: {
    readonly jwtSecret: string;
    readonly jwtTtlSeconds: number;
    readonly loginRateLimitPerMinute: number;
    readonly registrationRateLimitPerHour: number;
  };
  readonly events: EventsConfig;
  readonly reminders: RemindersConfig;
  readonly realtime: RealtimeConfig;
  readonly chat: ChatConfig;
  readonly webPush: WebPushConfig;
}

/** A VAPID key pair in URL-safe base64: public (65-byte P-256 point) and private (32 bytes). */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

export interface WebPushConfig {
  /** The server's identity towards push services; without keys Web Push is off. */
  readonly vapid: (VapidKeys & { readonly subject: string }) | undefined;
  /** Accept `http://127.0.0.1` / `http://localhost` endpoints (tests and local push servers only). */
  readonly allowHttpLoopback: boolean;
  /** Longest wait for one push service answer. */
  readonly timeoutMs: number;
  /** How long a push service keeps a notification for an offline device. */
  readonly ttlSeconds: number;
}

/** What one GraphQL request may ask for (see the README's GraphQL limits). */
export interface GraphqlLimits {
  readonly maxDocumentLength: number;
  readonly maxRootFields: number;
  readonly maxCost: number;
  /** Resolvers of one request running at once: bounds the database connections one request holds. */
  readonly resolverConcurrency: number;
}

interface RealtimeConfig {
  /** Open sockets one user may have on one process; more are closed at once. */
  readonly maxConnectionsPerUser: number;
  /** Bytes a socket may have queued unsent; a client that lets more pile up is disconnected. */
  readonly maxBufferedBytes: number;
  /** Heartbeat messages (and pings that detect dead peers) every this many ms. */
  readonly heartbeatIntervalMs: number;
  /** Gateway: the realtime service its `/realtime` routes are forwarded to (none: an ingress routes them). */
  readonly url: string | undefined;
}

export interface ChatConfig {
  /** `offline`: the built-in parser; `llm`: an OpenAI-compatible model with tool calling. */
  readonly engine: 'offline' | 'llm';
  readonly llm: {
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly model: string;
    readonly timeoutMs: number;
    /** Model round trips (each may call tools) before the engine gives up on one message. */
    readonly maxSteps: number;
    /** `offline`: answer with the offline engine when the provider fails. */
    readonly fallback: 'offline' | 'none';
  };
  /** Earlier messages of a conversation given to the engine as context. */
  readonly historyMessages: number;
  /** Where conversations live: the chat tables in PostgreSQL, or a Dapr state store (by component name). */
  readonly conversations: { readonly store: 'postgres' | 'dapr'; readonly daprStateStore: string };
  /** How the gateway reaches the chat-agent: in this process, over plain HTTP, or by Dapr service invocation. */
  readonly agent: {
    readonly transport: 'in-process' | 'http' | 'dapr';
    readonly url: string | undefined;
    readonly daprAppId: string;
    readonly timeoutMs: number;
  };
}

export interface RemindersConfig {
  /** `postgres`: a durable timer in the scheduler; `dapr-jobs`: one Dapr job per reminder. */
  readonly timer: Env['REMINDER_TIMER'];
  /** Reminders fired per transaction. */
  readonly batchSize: number;
  /** Longest sleep between checks of the reminders table (a safety net for lost wake-ups or jobs). */
  readonly sweepIntervalMs: number;
  /** A reminder found later than this after its time is marked `missed` instead of firing. */
  readonly missedAfterMs: number;
}

export interface EventsConfig {
  readonly transport: Env['EVENT_TRANSPORT'];
  /** Deliveries of one event to one consumer before it goes to the dead-letter topic. */
  readonly maxAttempts: number;
  /** First retry delay; doubles on every attempt. */
  readonly retryBackoffMs: number;
  readonly outbox: {
    readonly relay: boolean;
    readonly batchSize: number;
    readonly pollIntervalMs: number;
    readonly publishTimeoutMs: number;
    readonly retentionHours: number;
  };
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly clientId: string;
    readonly groupPrefix: string;
    readonly groupSuffix: string;
    /** How long a broker may hold an empty fetch. */
    readonly fetchMaxWaitMs: number;
    /** How long the group coordinator waits for a silent consumer before moving its partitions. */
    readonly sessionTimeoutMs: number;
    readonly ssl: boolean;
    readonly sasl?: {
      readonly mechanism: NonNullable<Env['KAFKA_SASL_MECHANISM']>;
      readonly username: string;
      readonly password: string;
    };
  };
  readonly dapr: {
    readonly host: string;
    readonly httpPort: number;
    readonly pubsubName: string;
    readonly appPort: number;
  };
}

/** Injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Builds the AppConfig from validated variables. Standalone mode fills `database.url`,
 * `auth.jwtSecret` and the VAPID keys itself (embedded database, generated keys), hence the overrides.
 */
export function toAppConfig(
  env: Env,
  resolved: { service: string; databaseUrl?: string; jwtSecret?: string; vapidKeys?: VapidKeys },
): AppConfig {
  const databaseUrl = resolved.databaseUrl ?? env.DATABASE_URL;
  const jwtSecret = resolved.jwtSecret ?? env.JWT_SECRET;
  if (!databaseUrl || !jwtSecret) {
    throw new Error('toAppConfig: a database URL and a JWT secret must be known at this point');
  }
  return {
    service: resolved.service,
    dataDir: env.DATA_DIR,
    log: { level: env.LOG_LEVEL },
    http: {
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      trustProxy: env.HTTP_TRUST_PROXY,
    },
    graphql: {
      maxDocumentLength: env.GRAPHQL_MAX_DOCUMENT_LENGTH,
      maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      maxCost: env.GRAPHQL_MAX_COST,
      resolverConcurrency: env.GRAPHQL_RESOLVER_CONCURRENCY,
    },
    database: {
      url: databaseUrl,
      poolSize: env.DATABASE_POOL_SIZE,
      migrationsRun: env.MIGRATIONS_RUN,
      embeddedPort: env.EMBEDDED_POSTGRES_PORT,
    },
    auth: {
      jwtSecret,
      jwtTtlSeconds: env.JWT_TTL_SECONDS,
      loginRateLimitPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
      registrationRateLimitPerHour: env.REGISTRATION_RATE_LIMIT_PER_HOUR,
    },
    events: {
      transport: env.EVENT_TRANSPORT,
      maxAttempts: env.EVENT_MAX_ATTEMPTS,
      retryBackoffMs: env.EVENT_RETRY_BACKOFF_MS,
      outbox: {
        relay: env.OUTBOX_RELAY,
        batchSize: env.OUTBOX_BATCH_SIZE,
        pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
        publishTimeoutMs: env.OUTBOX_PUBLISH_TIMEOUT_MS,
        retentionHours: env.OUTBOX_RETENTION_HOURS,
      },
      kafka: {
        brokers: env.KAFKA_BROKERS ?? [],
        clientId: env.KAFKA_CLIENT_ID,
        groupPrefix: env.KAFKA_GROUP_PREFIX,
        groupSuffix: env.KAFKA_GROUP_SUFFIX,
        fetchMaxWaitMs: env.KAFKA_FETCH_MAX_WAIT_MS,
        sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
        ssl: env.KAFKA_SSL,
        sasl: env.KAFKA_SASL_MECHANISM
          ? {
              mechanism: env.KAFKA_SASL_MECHANISM,
              username: env.KAFKA_SASL_USERNAME ?? '',
              password: env.KAFKA_SASL_PASSWORD ?? '',
            }
          : undefined,
      },
      dapr: {
        host: env.DAPR_HOST,
        httpPort: env.DAPR_HTTP_PORT,
        pubsubName: env.DAPR_PUBSUB_NAME,
        appPort: env.DAPR_APP_PORT,
      },
    },
    reminders: {
      timer: env.REMINDER_TIMER,
      batchSize: env.REMINDER_BATCH_SIZE,
      sweepIntervalMs: env.REMINDER_SWEEP_INTERVAL_MS,
      missedAfterMs: env.REMINDER_MISSED_AFTER_MINUTES * 60_000,
    },
    realtime: {
      maxConnectionsPerUser: env.REALTIME_MAX_CONNECTIONS_PER_USER,
      maxBufferedBytes: env.REALTIME_MAX_BUFFERED_BYTES,
      heartbeatIntervalMs: env.REALTIME_HEARTBEAT_INTERVAL_MS,
      url: env.REALTIME_URL,
    },
    chat: {
      // An API key alone is enough to switch the assistant to the model; CHAT_ENGINE overrides.
      engine: env.CHAT_ENGINE ?? (env.OPENAI_API_KEY ? 'llm' : 'offline'),
      llm: llmSettingsOf(env),
      historyMessages: env.CHAT_HISTORY_MESSAGES,
      conversations: { store: env.CONVERSATION_STORE, daprStateStore: env.DAPR_STATE_STORE },
      agent: {
        transport: env.CHAT_AGENT_TRANSPORT,
        url: env.CHAT_AGENT_URL,
        daprAppId: env.CHAT_AGENT_APP_ID,
        timeoutMs: env.CHAT_AGENT_TIMEOUT_MS,
      },
    },
    webPush: {
      vapid: vapidOf(env, resolved.vapidKeys),
      allowHttpLoopback: env.WEB_PUSH_ALLOW_HTTP_LOOPBACK,
      timeoutMs: env.WEB_PUSH_TIMEOUT_MS,
      ttlSeconds: env.WEB_PUSH_TTL_SECONDS,
    },
  };
}

/** Configured keys win over generated ones; the schema guarantees both or neither are set. */
function vapidOf(env: Env, generated: VapidKeys | undefined): WebPushConfig['vapid'] {
  const keys =
    env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
      ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
      : generated;
  return keys && { ...keys, subject: env.VAPID_SUBJECT };
}

/** The language model settings (also read by the assistant's engine comparison, which needs no more). */
export function llmSettingsOf(env: Env): ChatConfig['llm'] {
  return {
    apiKey: env.OPENAI_API_KEY,
    baseUrl: env.OPENAI_BASE_URL,
    model: env.OPENAI_MODEL,
    timeoutMs: env.LLM_TIMEOUT_MS,
    maxSteps: env.LLM_MAX_STEPS,
    fallback: env.LLM_FALLBACK,
  };
}
