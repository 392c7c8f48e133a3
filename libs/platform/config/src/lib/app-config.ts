import { CONFIG_VARIABLES, type PlacedVariables, type SettingsTree, treeOf } from './config-variables';
import type { Env } from './env-schema';

/** A VAPID key pair in URL-safe base64: public (65-byte P-256 point) and private (32 bytes). */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

/** What `toAppConfig` is given besides the variables: which deployable this is, and what standalone made itself. */
interface Resolved {
  /** Which deployable this is (`standalone`, `gateway`, `audit`…): event source, consumer group names. */
  readonly service: string;
  readonly databaseUrl?: string;
  readonly jwtSecret?: string;
  readonly vapidKeys?: VapidKeys;
}

/**
 * The settings that combine several variables or values standalone resolves itself, by their place
 * in `AppConfig`. Each names the variables it reads (config-readers.spec.ts finds them in this text).
 */
const DERIVED = {
  service: (_env: Env, resolved: Resolved) => resolved.service,
  'database.url': (env: Env, resolved: Resolved) => required(resolved.databaseUrl ?? env.DATABASE_URL),
  'auth.jwtSecret': (env: Env, resolved: Resolved) => required(resolved.jwtSecret ?? env.JWT_SECRET),
  'events.kafka.sasl': (env: Env) =>
    env.KAFKA_SASL_MECHANISM
      ? {
          mechanism: env.KAFKA_SASL_MECHANISM,
          username: env.KAFKA_SASL_USERNAME ?? '',
          password: env.KAFKA_SASL_PASSWORD ?? '',
        }
      : undefined,
  // An API key alone is enough to switch the assistant to the model; CHAT_ENGINE overrides.
  'chat.engine': (env: Env): 'offline' | 'llm' => env.CHAT_ENGINE ?? (env.OPENAI_API_KEY ? 'llm' : 'offline'),
  // Configured keys win over generated ones; the schema guarantees both or neither are set.
  'webPush.vapid': (env: Env, resolved: Resolved) => {
    const keys: VapidKeys | undefined =
      env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
        ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
        : resolved.vapidKeys;
    return keys && { ...keys, subject: env.VAPID_SUBJECT };
  },
} satisfies Record<string, (env: Env, resolved: Resolved) => unknown>;

function required(value: string | undefined): string {
  if (!value) throw new Error('toAppConfig: a database URL and a JWT secret must be known at this point');
  return value;
}

type DerivedSettings = {
  [P in keyof typeof DERIVED]: { path: P; value: ReturnType<(typeof DERIVED)[P]> };
}[keyof typeof DERIVED];

/** The settings of the variables that have a place (`at`) in config-variables.ts. */
type PlacedSettings = SettingsTree<PlacedVariables<typeof CONFIG_VARIABLES>>;

/**
 * The validated configuration every module reads, grouped by concern: derived from the declarations
 * (each variable's `at` and schema) and the derived settings above, so a new variable needs no edit here.
 */
export type AppConfig = SettingsTree<PlacedVariables<typeof CONFIG_VARIABLES> | DerivedSettings>;

export type EventsConfig = AppConfig['events'];
export type RemindersConfig = AppConfig['reminders'];
export type ChatConfig = AppConfig['chat'];
export type WebPushConfig = AppConfig['webPush'];
/** What one GraphQL request may ask for (see the README's GraphQL limits). */
export type GraphqlLimits = AppConfig['graphql'];

/** Injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Each placed variable's value by its path. */
function placedValues(env: Env): Record<string, unknown> {
  const declarations: Record<string, { at?: string }> = CONFIG_VARIABLES;
  const values: Record<string, unknown> = {};
  for (const [name, { at }] of Object.entries(declarations)) if (at) values[at] = env[name as keyof Env];
  return values;
}

/**
 * Builds the AppConfig from validated variables. Standalone mode fills `database.url`,
 * `auth.jwtSecret` and the VAPID keys itself (embedded database, generated keys), hence `resolved`.
 */
export function toAppConfig(env: Env, resolved: Resolved): AppConfig {
  const values = placedValues(env);
  for (const [path, derive] of Object.entries(DERIVED)) values[path] = derive(env, resolved);
  return treeOf(values) as AppConfig;
}

/** The language model settings (also read by the assistant's engine comparison, which needs no more). */
export function llmSettingsOf(env: Env): ChatConfig['llm'] {
  return (treeOf(placedValues(env)) as PlacedSettings).chat.llm;
}
