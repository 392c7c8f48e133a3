import { distributedEnvSchema, envSchema } from './env-schema';
import { InvalidConfigError, parseEnv } from './parse-env';

describe('parseEnv', () => {
  it('applies laptop defaults when nothing is set', () => {
    const env = parseEnv(envSchema, {});
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', MIGRATIONS_RUN: true, CORS_ORIGINS: [] });
  });

  it('coerces numbers, booleans and lists', () => {
    const env = parseEnv(envSchema, {
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      MIGRATIONS_RUN: false,
      CORS_ORIGINS: ['https://a.example', 'https://b.example'],
    });
  });

  it('lists every bad or missing variable in one error, without echoing secrets', () => {
    const attempt = () =>
      parseEnv(distributedEnvSchema, {
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short-secret-value',
        EVENT_TRANSPORT: 'dapr',
      });
    expect(attempt).toThrow(InvalidConfigError);
    try {
      attempt();
    } catch (error) {
      const { problems, message } = error as InvalidConfigError;
      expect(problems).toEqual([
        'PORT: expected a whole number',
        'DATABASE_URL: expected a postgres:// or postgresql:// URL',
        'JWT_SECRET: must be at least 32 characters',
      ]);
      expect(message).not.toContain('short-secret-value');
    }
  });

  it('names required variables that are missing or blank', () => {
    expect(() => parseEnv(distributedEnvSchema, { DATABASE_URL: '' })).toThrow(
      /DATABASE_URL: is required but not set[\s\S]*JWT_SECRET: is required but not set/,
    );
  });

  it("requires a transport's settings only when that transport is chosen", () => {
    expect(parseEnv(envSchema, {}).EVENT_TRANSPORT).toBe('memory');
    expect(() => parseEnv(envSchema, { EVENT_TRANSPORT: 'kafka' })).toThrow(
      /KAFKA_BROKERS: is required when EVENT_TRANSPORT=kafka/,
    );
    expect(
      parseEnv(envSchema, { EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: 'a:9092, b:9092' }).KAFKA_BROKERS,
    ).toEqual(['a:9092', 'b:9092']);
    expect(() => parseEnv(envSchema, { EVENT_TRANSPORT: 'carrier-pigeon' })).toThrow(/EVENT_TRANSPORT/);
    expect(() =>
      parseEnv(distributedEnvSchema, {
        DATABASE_URL: 'postgres://db/todo',
        JWT_SECRET: 'x'.repeat(32),
        EVENT_TRANSPORT: 'kafka',
        KAFKA_BROKERS: 'kafka:9092',
        KAFKA_SASL_MECHANISM: 'plain',
      }),
    ).toThrow(/KAFKA_SASL_USERNAME: is required when KAFKA_SASL_MECHANISM is set/);
    expect(() =>
      parseEnv(distributedEnvSchema, { DATABASE_URL: 'postgres://db/todo', JWT_SECRET: 'x'.repeat(32) }),
    ).toThrow(/EVENT_TRANSPORT: choose kafka or dapr/);
  });

  it('trusts X-Forwarded-For only as far as HTTP_TRUST_PROXY says', () => {
    const trust = (value?: string) =>
      parseEnv(envSchema, value === undefined ? {} : { HTTP_TRUST_PROXY: value }).HTTP_TRUST_PROXY;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('1')).toBe(1); // one hop: the address the proxy in front of the app saw
    expect(trust('10.0.0.0/8, ::1, 127.0.0.1')).toEqual(['10.0.0.0/8', '::1', '127.0.0.1']);
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1,', '-1'])
      expect(() => trust(bad)).toThrow(/HTTP_TRUST_PROXY: expected true, false, a number of proxy hops/);
  });

  it('takes VAPID keys only as a matching pair, and never echoes the private key', () => {
    // A fixed P-256 pair (private key 1: the public key is the curve's base point).
    const privateKey = Buffer.alloc(32);
    privateKey[31] = 1;
    const pair = {
      VAPID_PRIVATE_KEY: privateKey.toString('base64url'),
      VAPID_PUBLIC_KEY:
        'BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU',
    };
    expect(parseEnv(envSchema, pair)).toMatchObject({ ...pair, VAPID_SUBJECT: 'mailto:admin@localhost' });
    expect(() => parseEnv(envSchema, { VAPID_PUBLIC_KEY: pair.VAPID_PUBLIC_KEY })).toThrow(
      /VAPID_PRIVATE_KEY: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY together/,
    );
    const otherPrivate = Buffer.alloc(32, 2).toString('base64url');
    expect(() => parseEnv(envSchema, { ...pair, VAPID_PRIVATE_KEY: otherPrivate })).toThrow(
      /VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY/,
    );
    try {
      parseEnv(envSchema, { ...pair, VAPID_PRIVATE_KEY: 'short', VAPID_SUBJECT: 'ops@example.com' });
    } catch (error) {
      expect((error as InvalidConfigError).problems).toEqual([
        'VAPID_PRIVATE_KEY: expected 32 bytes in URL-safe base64',
        'VAPID_SUBJECT: expected a mailto: address or an https:// URL',
      ]);
      expect((error as Error).message).not.toContain('short');
    }
    expect.assertions(5);
  });
});
