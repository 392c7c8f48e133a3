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

/** Every environment variable the services read, with defaults for a laptop. */
export const envSchema = z.object({
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
});

export type Env = z.infer<typeof envSchema>;

/** Distributed deployables talk to an external database and share a signing key: both are required. */
export const distributedEnvSchema = envSchema.extend({
  DATABASE_URL: envSchema.shape.DATABASE_URL.unwrap(),
  JWT_SECRET: envSchema.shape.JWT_SECRET.unwrap(),
});
