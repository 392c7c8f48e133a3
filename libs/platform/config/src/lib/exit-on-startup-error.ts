import { InvalidConfigError } from './parse-env';

/** Start-up failures end the process with a readable reason instead of a stack dump. */
export function exitOnStartupError(error: unknown): never {
  console.error(error instanceof InvalidConfigError ? error.message : error);
  process.exit(1);
}
