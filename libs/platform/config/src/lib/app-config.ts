import type { Env } from './env-schema';

/** The validated configuration every module reads, grouped by concern. */
export interface AppConfig {
  /** Which deployable this is (`standalone`, `gateway`, `audit`…): event source, consumer group names. */
  readonly service: string;
  readonly env: Env['NODE_ENV'];
  readonly dataDir: string;
  readonly log: { readonly level: Env['LOG_LEVEL'] };
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly corsOrigins: readonly string[];
    readonly bodyLimitBytes: number;
    readonly trustProxy: boolean;
  };
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
  };
  readonly events: EventsConfig;
  readonly reminders: RemindersConfig;
  readonly realtime: RealtimeConfig;
  readonly chat: ChatConfig;
}

export interface RealtimeConfig {
  /** Open sockets one user may have on one process; more are closed at once. */
  readonly maxConnectionsPerUser: number;
  /** Bytes a socket may have queued unsent; a client that lets more pile up is disconnected. */
  readonly maxBufferedBytes: number;
  /** Heartbeat messages (and pings that detect dead peers) every this many ms. */
  readonly heartbeatIntervalMs: number;
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
 * Builds the AppConfig from validated variables. Standalone mode fills `database.url` and
 * `auth.jwtSecret` itself (embedded database, generated key), hence the overrides.
 */
export function toAppConfig(
  env: Env,
  resolved: { service: string; databaseUrl?: string; jwtSecret?: string },
): AppConfig {
  const databaseUrl = resolved.databaseUrl ?? env.DATABASE_URL;
  const jwtSecret = resolved.jwtSecret ?? env.JWT_SECRET;
  if (!databaseUrl || !jwtSecret) {
    throw new Error('toAppConfig: a database URL and a JWT secret must be known at this point');
  }
  return {
    service: resolved.service,
    env: env.NODE_ENV,
    dataDir: env.DATA_DIR,
    log: { level: env.LOG_LEVEL },
    http: {
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      trustProxy: env.HTTP_TRUST_PROXY,
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
    },
    chat: {
      // An API key alone is enough to switch the assistant to the model; CHAT_ENGINE overrides.
      engine: env.CHAT_ENGINE ?? (env.OPENAI_API_KEY ? 'llm' : 'offline'),
      llm: {
        apiKey: env.OPENAI_API_KEY,
        baseUrl: env.OPENAI_BASE_URL,
        model: env.OPENAI_MODEL,
        timeoutMs: env.LLM_TIMEOUT_MS,
        maxSteps: env.LLM_MAX_STEPS,
        fallback: env.LLM_FALLBACK,
      },
      historyMessages: env.CHAT_HISTORY_MESSAGES,
      agent: {
        transport: env.CHAT_AGENT_TRANSPORT,
        url: env.CHAT_AGENT_URL,
        daprAppId: env.CHAT_AGENT_APP_ID,
        timeoutMs: env.CHAT_AGENT_TIMEOUT_MS,
      },
    },
  };
}

/** `http://host:port` of the Dapr sidecar's HTTP API (an IPv6 host in brackets). */
export function sidecarUrl(dapr: Pick<EventsConfig['dapr'], 'host' | 'httpPort'>): string {
  const host = dapr.host.includes(':') && !dapr.host.startsWith('[') ? `[${dapr.host}]` : dapr.host;
  return `http://${host}:${dapr.httpPort}`;
}
