import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createDirectory } from './create-directory';

/**
 * A secret generated on first run and kept with the data (standalone mode: no secret in code or
 * config). `generate` makes it (default: 48 random bytes, URL-safe base64).
 */
export async function persistentSecret(
  file: string,
  generate: () => string = () => randomBytes(48).toString('base64url'),
): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await createDirectory(dirname(file));
  const secret = generate();
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
