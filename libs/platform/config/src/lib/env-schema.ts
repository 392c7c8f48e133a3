import { createECDH } from 'node:crypto';
import { isIP } from 'node:net';
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

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * Fastify's `trustProxy`: `true`/`false`, the number of proxy hops in front of the app, or the
 * proxies' addresses/CIDRs (comma-separated). Only trusted hops may set the client address.
 */
const trustProxy = z.string().transform((value, ctx): boolean | number | string[] => {
  const text = value.trim().toLowerCase();
  if (['true', 'yes'].includes(text)) return true;
  if (['false', 'no', '0'].includes(text)) return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const addresses = text.split(',').map((item) => item.trim());
  if (addresses.every(isAddressOrCidr)) return addresses;
  ctx.addIssue({
    code: 'custom',
    message: 'expected true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs',
  });
  return z.NEVER;
});

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** A key in URL-safe base64 without padding (as `web-push generate-vapid-keys` prints it) of `bytes` bytes. */
const base64UrlKey = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'expected URL-safe base64 without padding' })
    .refine((value) => Buffer.from(value, 'base64url').length === bytes, {
      message: `expected ${bytes} bytes in URL-safe base64`,
    });

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
  REGISTRATION_RATE_LIMIT_PER_HOUR: int(1, 100_000)
    .default(10)
    .describe('accounts one client address may register per hour (REST and GraphQL together)'),
  CORS_ORIGINS: list.default([]),
  HTTP_BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024).default(256 * 1024),
  HTTP_TRUST_PROXY: trustProxy
    .default(false)
    .describe(
      'which X-Forwarded-For hops to trust: false, true (all), a hop count, or proxy addresses/CIDRs',
    ),

  GRAPHQL_MAX_DOCUMENT_LENGTH: int(100, 1_000_000)
    .default(10_000)
    .describe('longest GraphQL document (query text) accepted, in characters'),
  GRAPHQL_MAX_ROOT_FIELDS: int(1, 1_000)
    .default(20)
    .describe('fields at the top of one GraphQL operation, each alias counted'),
  GRAPHQL_MAX_COST: int(1, 10_000_000)
    .default(50_000)
    .describe('largest estimated cost of one GraphQL operation (fields x list sizes)'),
  GRAPHQL_RESOLVER_CONCURRENCY: int(1, 100)
    .default(2)
    .describe(
      'resolvers of one GraphQL request that run at the same time (each may hold a database connection)',
    ),

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
  KAFKA_SESSION_TIMEOUT_MS: int(6_000, 300_000).default(10_000),
  KAFKA_SSL: bool.default(false),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),

  DAPR_HOST: z.string().min(1).default('127.0.0.1'),
  DAPR_HTTP_PORT: int(1, 65535).default(3500),
  DAPR_PUBSUB_NAME: z.string().min(1).default('pubsub'),
  DAPR_APP_PORT: int(0, 65535).default(3001),
  DAPR_SECRET_STORE: z
    .string()
    .min(1)
    .default('secretstore')
    .describe('the Dapr secret store component read when SECRETS_SOURCE=dapr'),
  DAPR_STATE_STORE: z
    .string()
    .min(1)
    .default('statestore')
    .describe('the Dapr state store component holding conversations when CONVERSATION_STORE=dapr'),

  SECRETS_SOURCE: z
    .enum(['env', 'dapr'])
    .default('env')
    .describe(
      'env: secrets come from the environment only; dapr: JWT_SECRET, DATABASE_URL and OPENAI_API_KEY not set in the environment are read from the Dapr secret store at boot',
    ),

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
  CONVERSATION_STORE: z
    .enum(['postgres', 'dapr'])
    .default('postgres')
    .describe('where the chat-agent keeps conversations: its PostgreSQL tables, or the Dapr state store'),
  CHAT_AGENT_TRANSPORT: z.enum(['in-process', 'http', 'dapr']).default('in-process'),
  CHAT_AGENT_URL: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }).optional(),
  CHAT_AGENT_APP_ID: z.string().min(1).default('chat-agent'),
  CHAT_AGENT_TIMEOUT_MS: int(1000, 600_000).default(60_000),

  VAPID_PUBLIC_KEY: base64UrlKey(65).optional(),
  VAPID_PRIVATE_KEY: base64UrlKey(32).optional(),
  VAPID_SUBJECT: z
    .url({ protocol: /^(mailto|https)$/, message: 'expected a mailto: address or an https:// URL' })
    .default('mailto:admin@localhost'),
  WEB_PUSH_ALLOW_HTTP_LOOPBACK: bool.default(false),
  WEB_PUSH_TIMEOUT_MS: int(100, 120_000).default(5000),
  WEB_PUSH_TTL_SECONDS: int(0, 60 * 60 * 24 * 28).default(60 * 60 * 24),
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
  checkVapidKeys(env, ctx);
  if (env.KAFKA_SASL_MECHANISM)
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const)
      if (!env[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required when KAFKA_SASL_MECHANISM is set',
        });
}

/** Web Push needs both VAPID keys, and they must be one pair (a mismatch fails every push). */
function checkVapidKeys(env: Variables, ctx: z.RefinementCtx) {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey } = env;
  if (!publicKey !== !privateKey) {
    ctx.addIssue({
      code: 'custom',
      path: [publicKey ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'],
      message:
        'set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY together (e.g. from `npx web-push generate-vapid-keys`)',
    });
    return;
  }
  if (!publicKey || !privateKey) return;
  // Keys of the wrong size already have their own message.
  const sized =
    Buffer.from(publicKey, 'base64url').length === 65 && Buffer.from(privateKey, 'base64url').length === 32;
  if (sized && !isKeyPair(publicKey, privateKey))
    ctx.addIssue({
      code: 'custom',
      path: ['VAPID_PUBLIC_KEY'],
      message: 'is not the public key of VAPID_PRIVATE_KEY',
    });
}

function isKeyPair(publicKey: string, privateKey: string): boolean {
  try {
    const curve = createECDH('prime256v1');
    curve.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    return curve.getPublicKey('base64url') === publicKey;
  } catch {
    return false; // not a valid P-256 private key
  }
}

/**
 * The variables that say where secrets come from: read before the rest (the secret store may fill
 * in variables the full schema requires).
 */
export const secretsSourceSchema = variables.pick({
  SECRETS_SOURCE: true,
  DAPR_SECRET_STORE: true,
  DAPR_HOST: true,
  DAPR_HTTP_PORT: true,
});

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
