/**
 * Secrets read from the Dapr secret store at boot (`SECRETS_SOURCE=dapr`), through the real
 * `@dapr/dapr` SDK, against `FakeDaprSidecar`'s secrets API: a double of daprd's documented contract
 * (see `FakeDaprStores`) holding the compose example secrets. Not a test against a real daprd.
 */
import { distributedEnvSchema, InvalidConfigError, parseEnv } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { FakeDaprSidecar, freeLoopbackPort } from '@todo/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './compose-project';

const exampleSecrets = JSON.parse(
  readFileSync(join(workspaceRoot, 'dapr/compose/secrets.example.json'), 'utf8'),
) as Record<string, string>;

describe('secrets from the Dapr secret store (fake sidecar secrets API, real SDK)', () => {
  let sidecar: FakeDaprSidecar;
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    SECRETS_SOURCE: 'dapr',
    DAPR_HOST: '127.0.0.1',
    DAPR_HTTP_PORT: String(sidecar.port),
    EVENT_TRANSPORT: 'dapr',
    ...extra,
  });
  const requested = () => sidecar.stores.secretRequests.map((request) => request.path);

  beforeAll(async () => {
    sidecar = await FakeDaprSidecar.start({ appId: 'gateway' });
  });
  beforeEach(() => {
    sidecar.stores.setSecretStore('secretstore', exampleSecrets);
    sidecar.stores.secretRequests.length = 0;
  });
  afterAll(() => sidecar?.stop());

  it('fills JWT_SECRET and DATABASE_URL from the store, so the distributed config validates', async () => {
    const resolved = await withDaprSecrets(env());
    expect(resolved['JWT_SECRET']).toBe(exampleSecrets['jwt-secret']);
    expect(resolved['DATABASE_URL']).toBe(exampleSecrets['database-url']);
    // the example holds an empty LLM key: it stays unset (the offline engine answers)
    expect(resolved['OPENAI_API_KEY']).toBeUndefined();
    expect(() => parseEnv(distributedEnvSchema, resolved)).not.toThrow();
    expect(requested()).toEqual([
      'secretstore/jwt-secret',
      'secretstore/database-url',
      'secretstore/openai-api-key',
    ]);
  });

  it('leaves a variable set in the environment alone, and asks nothing with SECRETS_SOURCE=env', async () => {
    const own = 'x'.repeat(40);
    const resolved = await withDaprSecrets(env({ JWT_SECRET: own, DAPR_SECRET_STORE: 'secretstore' }));
    expect(resolved['JWT_SECRET']).toBe(own);
    expect(requested()).not.toContain('secretstore/jwt-secret');

    sidecar.stores.secretRequests.length = 0;
    const plain = env({ SECRETS_SOURCE: 'env' });
    expect(await withDaprSecrets(plain)).toBe(plain);
    expect(requested()).toEqual([]);
  });

  it('a secret the store does not have stays unset: the config check names the variable', async () => {
    const { 'database-url': _missing, ...others } = exampleSecrets;
    sidecar.stores.setSecretStore('secretstore', others);
    const resolved = await withDaprSecrets(env());
    expect(resolved['DATABASE_URL']).toBeUndefined();
    expect(() => parseEnv(distributedEnvSchema, resolved)).toThrow(InvalidConfigError);
    expect(() => parseEnv(distributedEnvSchema, resolved)).toThrow(/DATABASE_URL: is required but not set/);
  });

  it('stops the boot with the sidecar answer when the scopes deny a secret or the store does not exist', async () => {
    sidecar.stores.setSecretStore('secretstore', exampleSecrets, ['database-url']);
    await expect(withDaprSecrets(env())).rejects.toThrow(
      /^JWT_SECRET \(SECRETS_SOURCE=dapr\): .*HTTP 403 .*ERR_PERMISSION_DENIED/,
    );
    await expect(withDaprSecrets(env({ DAPR_SECRET_STORE: 'vault' }))).rejects.toThrow(
      /refused to read the secret jwt-secret from the Dapr secret store vault: HTTP 401 .*ERR_SECRET_STORE_NOT_FOUND/,
    );
    await expect(withDaprSecrets(env({ SECRETS_SOURCE: 'vault' }))).rejects.toThrow(/SECRETS_SOURCE/);
  });

  it('waits for a sidecar that starts after the app, and gives up with a clear message at its deadline', async () => {
    const port = await freeLoopbackPort();
    const late = withDaprSecrets({ ...env(), DAPR_HTTP_PORT: String(port) }, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const starting = await FakeDaprSidecar.start({ appId: 'gateway', port });
    try {
      starting.stores.setSecretStore('secretstore', exampleSecrets);
      expect((await late)['JWT_SECRET']).toBe(exampleSecrets['jwt-secret']);
    } finally {
      await starting.stop();
    }

    const started = Date.now();
    await expect(withDaprSecrets({ ...env(), DAPR_HTTP_PORT: String(port) }, 1_500)).rejects.toThrow(
      /^JWT_SECRET \(SECRETS_SOURCE=dapr\): could not read the secret jwt-secret .* did not answer/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
