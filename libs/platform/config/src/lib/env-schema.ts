import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int({ message: 'expected a whole number' })
    .min(min, { message: `expected at least ${min}` })
    .max(max, { message: `expected at most ${max}` });

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const variables = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'expected a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  MIGRATIONS_RUN: bool.default(true),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: int(0, 65535).default(0),
  JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  JWT_TTL_SECONDS: int(60, 60 * 60 * 24 * 90).default(60 * 60 * 24 * 7),
  LOGIN_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(10),
  CORS_ORIGINS: list.default([]),
  HTTP_BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024).default(256 * 1024),
  HTTP_TRUST_PROXY: bool.default(false),

  EVENT_TRANSPORT: z.enum(['memory', 'kafka', 'dapr']).default('memory'),
  EVENT_MAX_ATTEMPTS: int(1, 100).default(5),
  EVENT_RETRY_BACKOFF_MS: int(1, 60_000).default(200),
  OUTBOX_RELAY: bool.default(true),
  OUTBOX_BATCH_SIZE: int(1, 10_000).default(200),
  OUTBOX_POLL_INTERVAL_MS: int(10, 60_000).default(1000),
  OUTBOX_PUBLISH_TIMEOUT_MS: int(100, 300_000).default(15_000),
  OUTBOX_RETENTION_HOURS: int(1, 24 * 365).default(24 * 7),

  KAFKA_BROKERS: list.optional(),
  KAFKA_CLIENT_ID: z.string().min(1).default('todo'),
  KAFKA_GROUP_PREFIX: z.string().default('todo.'),
  KAFKA_GROUP_SUFFIX: z.string().default(''),
  KAFKA_FETCH_MAX_WAIT_MS: int(10, 30_000).default(100),
  KAFKA_SSL: bool.default(false),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),

  DAPR_HOST: z.string().min(1).default('127.0.0.1'),
  DAPR_HTTP_PORT: int(1, 65535).default(3500),
  DAPR_PUBSUB_NAME: z.string().min(1).default('pubsub'),
  DAPR_APP_PORT: int(0, 65535).default(3001),

  REMINDER_TIMER: z.enum(['postgres', 'dapr-jobs']).default('postgres'),
  REMINDER_BATCH_SIZE: int(1, 10_000).default(500),
  REMINDER_SWEEP_INTERVAL_MS: int(100, 3_600_000).default(30_000),
  REMINDER_MISSED_AFTER_MINUTES: int(1, 60 * 24 * 365).default(60 * 24),

  REALTIME_MAX_CONNECTIONS_PER_USER: int(1, 1000).default(20),
  REALTIME_MAX_BUFFERED_BYTES: int(16 * 1024, 64 * 1024 * 1024).default(1024 * 1024),
  REALTIME_HEARTBEAT_INTERVAL_MS: int(1000, 600_000).default(30_000),

  CHAT_ENGINE: z.enum(['offline', 'llm']).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }).optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  LLM_MAX_STEPS: int(1, 20).default(5),
  LLM_FALLBACK: z.enum(['offline', 'none']).default('offline'),
  CHAT_HISTORY_MESSAGES: int(0, 200).default(20),
  CHAT_AGENT_TRANSPORT: z.enum(['in-process', 'http', 'dapr']).default('in-process'),
  CHAT_AGENT_URL: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }).optional(),
  CHAT_AGENT_APP_ID: z.string().min(1).default('chat-agent'),
  CHAT_AGENT_TIMEOUT_MS: int(1000, 600_000).default(60_000),
});

type Variables = z.infer<typeof variables>;

/** Rules that span several variables (a transport's settings are required only when it is chosen). */
function checkCombinations(env: Variables, ctx: z.RefinementCtx) {
  if (env.EVENT_TRANSPORT === 'kafka' && !env.KAFKA_BROKERS?.length)
    ctx.addIssue({
      code: 'custom',
      path: ['KAFKA_BROKERS'],
      message: 'is required when EVENT_TRANSPORT=kafka (comma-separated host:port list)',
    });
  if (env.REMINDER_TIMER === 'dapr-jobs' && env.EVENT_TRANSPORT !== 'dapr')
    ctx.addIssue({
      code: 'custom',
      path: ['REMINDER_TIMER'],
      message: 'dapr-jobs needs EVENT_TRANSPORT=dapr (job callbacks arrive on the Dapr app port)',
    });
  if (env.CHAT_ENGINE === 'llm' && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['CHAT_ENGINE'],
      message: 'llm needs OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server',
    });
  if (env.CHAT_AGENT_TRANSPORT === 'http' && !env.CHAT_AGENT_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['CHAT_AGENT_URL'],
      message:
        'is required when CHAT_AGENT_TRANSPORT=http (the chat-agent base URL, e.g. http://chat-agent:3000)',
    });
  if (env.KAFKA_SASL_MECHANISM)
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const)
      if (!env[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required when KAFKA_SASL_MECHANISM is set',
        });
}

/** Every environment variable the services read, with defaults for a laptop. */
export const envSchema = variables.superRefine(checkCombinations);

export type Env = z.infer<typeof envSchema>;

/** Distributed deployables talk to an external database and share a signing key: both are required. */
export const distributedEnvSchema = variables
  .extend({
    DATABASE_URL: variables.shape.DATABASE_URL.unwrap(),
    JWT_SECRET: variables.shape.JWT_SECRET.unwrap(),
    // Separate processes cannot share the in-process transport.
    EVENT_TRANSPORT: z.enum(['kafka', 'dapr'], {
      message: 'choose kafka or dapr (memory works only inside the standalone process)',
    }),
  })
  .superRefine(checkCombinations);
