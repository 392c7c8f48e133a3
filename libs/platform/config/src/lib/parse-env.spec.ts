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
});
