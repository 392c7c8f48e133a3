import type { z } from 'zod';

/** Thrown at boot when variables are missing or invalid; lists every problem at once. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

/** Validates the environment against a schema; secrets are never echoed back in messages. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(blankAsUnset);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const isMissing = issue.code === 'invalid_type' && blankAsUnset[name] === undefined;
      return `${name}: ${isMissing ? 'is required but not set' : issue.message}`;
    }),
  );
}
