import { createECDH } from 'node:crypto';
import { z } from 'zod';
import { CONFIG_VARIABLES, schemasOf } from './config-variables';

/** Every declared variable, each validated on its own. */
const variables = z.object(schemasOf(CONFIG_VARIABLES));

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
