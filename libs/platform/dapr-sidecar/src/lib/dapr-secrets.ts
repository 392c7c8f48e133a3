import { parseEnv, secretsSourceSchema } from '@todo/config';
import { DaprSidecar, SidecarCallError } from './dapr-sidecar';

/**
 * The secrets an app may read from the Dapr secret store, by the variable they stand for. The names
 * are those of `dapr/compose/secrets.example.json`, the Kubernetes Secrets and the secret scopes
 * of `dapr/config.yaml`.
 */
export const DAPR_SECRETS = [
  { variable: 'JWT_SECRET', secret: 'jwt-secret' },
  { variable: 'DATABASE_URL', secret: 'database-url' },
  { variable: 'OPENAI_API_KEY', secret: 'openai-api-key' },
] as const;

/**
 * How long boot waits for the sidecar to serve the secrets: it usually starts next to the app (a
 * pod, or Compose's `network_mode: service:<app>`), so it may not answer yet; asked again every
 * {@link RETRY_INTERVAL_MS} until then.
 */
const SECRETS_TIMEOUT_MS = 60_000;
const RETRY_INTERVAL_MS = 500;

/**
 * The environment with the secrets filled in, read before the configuration is validated. With
 * `SECRETS_SOURCE=env` (the default) it is `env` unchanged. With `dapr`, each variable of
 * {@link DAPR_SECRETS} that is not set is read from the secret store `DAPR_SECRET_STORE` through the
 * sidecar (`GET /v1.0/secrets/{store}/{name}`, the SDK's `DaprClient.secret.get`); a variable set in
 * the environment wins. A secret the store does not have (or holds empty) stays unset, so the
 * config check names it if the app needs it. Anything else (no sidecar within the timeout, a
 * secret the scopes deny, a store that does not exist) stops the boot with the sidecar's answer.
 */
export async function withDaprSecrets(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = SECRETS_TIMEOUT_MS,
): Promise<NodeJS.ProcessEnv> {
  const source = parseEnv(secretsSourceSchema, env);
  if (source.SECRETS_SOURCE === 'env') return env;
  const store = source.DAPR_SECRET_STORE;
  const sidecar = new DaprSidecar({ host: source.DAPR_HOST, httpPort: source.DAPR_HTTP_PORT }, timeoutMs);
  const deadline = Date.now() + timeoutMs;
  const resolved: NodeJS.ProcessEnv = { ...env };
  for (const { variable, secret } of DAPR_SECRETS) {
    if (env[variable]) continue;
    let answer: unknown;
    try {
      answer = await untilAnswered(deadline, (remainingMs) =>
        sidecar.call(
          `read the secret ${secret} from the Dapr secret store ${store}`,
          (client) => client.secret.get(encodeURIComponent(store), encodeURIComponent(secret)),
          remainingMs,
        ),
      );
    } catch (error) {
      if (isNotFound(error)) continue;
      throw new Error(`${variable} (SECRETS_SOURCE=dapr): ${(error as Error).message}`);
    }
    const value =
      typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[secret] : undefined;
    if (typeof value === 'string' && value !== '') resolved[variable] = value;
  }
  return resolved;
}

/** Calls `request` again while the sidecar does not answer at all (still starting), until `deadline`. */
async function untilAnswered<T>(deadline: number, request: (remainingMs: number) => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await request(Math.max(deadline - Date.now(), 1));
    } catch (error) {
      const unanswered = error instanceof SidecarCallError && error.status === undefined;
      if (!unanswered || Date.now() + RETRY_INTERVAL_MS >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    }
  }
}

/**
 * daprd answers 500 `ERR_SECRET_GET` for a missing secret, with the store's reason: the local file
 * store's "secret <name> not found", Kubernetes' `secrets "<name>" not found`.
 */
function isNotFound(error: unknown): boolean {
  return error instanceof SidecarCallError && error.status === 500 && /not found/i.test(error.body);
}
