import type { Env } from './env-schema';

/** The validated configuration every module reads, grouped by concern. */
export interface AppConfig {
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
}

/** Injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Builds the AppConfig from validated variables. Standalone mode fills `database.url` and
 * `auth.jwtSecret` itself (embedded database, generated key), hence the overrides.
 */
export function toAppConfig(
  env: Env,
  resolved: { databaseUrl?: string; jwtSecret?: string } = {},
): AppConfig {
  const databaseUrl = resolved.databaseUrl ?? env.DATABASE_URL;
  const jwtSecret = resolved.jwtSecret ?? env.JWT_SECRET;
  if (!databaseUrl || !jwtSecret) {
    throw new Error('toAppConfig: a database URL and a JWT secret must be known at this point');
  }
  return {
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
  };
}
