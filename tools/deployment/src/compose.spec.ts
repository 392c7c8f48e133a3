// docker-compose.yml checked without Docker: the Compose specification's schema, each app's
// environment against the config schema the app validates at boot, sidecars against their apps,
// and the Dapr components each sidecar loads.
import Ajv2019 from 'ajv/dist/2019';
import { distributedEnvSchema, parseEnv } from '@todo/config';
import { DAPR_SECRETS } from '@todo/dapr-sidecar';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ComposeService,
  commandFlags,
  commandWords,
  dockerfileEnvironment,
  exampleVariables,
  hostPath,
  loadCompose,
  readYaml,
  sidecarResources,
  workspaceRoot,
} from './compose-project';

/** Drops the draft-04 `id` annotations of the 2021 schema (Ajv 8 knows only `$id`); its refs are local. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

function schemaValidator() {
  const { $schema: _draft, ...schema } = withoutDraft4Ids(
    JSON.parse(readFileSync(join(__dirname, 'compose-spec.schema.json'), 'utf8')),
  ) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Compose's own formats: Go durations ("30s", "1m30s") and port specs ("3000", "8080:3000/tcp").
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[\w.:]*\]?):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  return ajv.compile(schema);
}

const compose = loadCompose();
const services = Object.entries(compose.services);
/** The deployables: services built from the workspace. */
const apps = services.filter(([, service]) => service.build);
const sidecarOf = (name: string) =>
  services.find(([, service]) => service.network_mode === `service:${name}`)?.[1];

/** The example secret store of compose (`dapr/compose/secrets.example.json`, copied to secrets.json). */
const exampleSecrets = JSON.parse(
  readFileSync(join(workspaceRoot, 'dapr/compose/secrets.example.json'), 'utf8'),
) as Record<string, string>;

/**
 * What the app validates: the image's ENV overridden by the service's environment and, with
 * `SECRETS_SOURCE=dapr`, the variables it does not set filled from the example secret store (as
 * `withDaprSecrets` does at boot; its contract test covers the reading itself).
 */
function appEnvironment(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {
    ...dockerfileEnvironment('tools/docker/Dockerfile'),
    ...service.environment,
  };
  if (env['SECRETS_SOURCE'] !== 'dapr') return env;
  for (const { variable, secret } of DAPR_SECRETS)
    if (!env[variable] && exampleSecrets[secret]) env[variable] = exampleSecrets[secret];
  return env;
}

/** The `service` name the app's main.ts gives its config: its identity in logs, metrics and Dapr. */
function serviceNameInSource(service: ComposeService): string | undefined {
  const main = join(workspaceRoot, service.build?.args['APP_ROOT'] ?? '', 'src', 'main.ts');
  if (!existsSync(main)) return undefined;
  return /service: '([\w-]+)'/.exec(readFileSync(main, 'utf8'))?.[1];
}

describe('docker-compose.yml', () => {
  const validate = schemaValidator();

  it('is valid against the Compose specification schema', () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('the schema check catches a misspelt key and a wrong type', () => {
    const gateway = compose.services['gateway'];
    const withService = (service: object) => ({ services: { ...compose.services, gateway: service } });
    expect(validate(withService({ ...gateway, restrat: 'always' }))).toBe(false);
    expect(validate(withService({ ...gateway, ports: { http: 3000 } }))).toBe(false);
  });

  it('stops with the message of a required secret missing from .env', () => {
    expect(() => loadCompose({ ...exampleVariables(), JWT_SECRET: '' })).toThrow(/JWT_SECRET/);
  });

  it('has the five deployables, each built from the shared Dockerfile', () => {
    expect(apps.map(([name]) => name).sort()).toEqual([
      'audit',
      'chat-agent',
      'gateway',
      'realtime',
      'scheduler',
    ]);
    for (const [, service] of apps) {
      expect(service.build).toMatchObject({ context: '.', dockerfile: 'tools/docker/Dockerfile' });
      expect(service.image).toBe(`todo-assistant/${service.build?.args['PROJECT']}`);
    }
  });

  it.each(apps)(
    '%s: its environment passes the config schema the app validates at boot',
    (_name, service) => {
      expect(() => parseEnv(distributedEnvSchema, appEnvironment(service))).not.toThrow();
    },
  );

  it.each(apps)('%s: read-only root filesystem, starts after the migrations succeeded', (_name, service) => {
    expect(service.read_only).toBe(true);
    expect(service.depends_on?.['migrate']).toEqual({ condition: 'service_completed_successfully' });
    expect(parseEnv(distributedEnvSchema, appEnvironment(service)).MIGRATIONS_RUN).toBe(false);
  });

  it('migrations run once, with the gateway image and a valid environment', () => {
    const migrate = compose.services['migrate'];
    expect(migrate.image).toBe(compose.services['gateway'].image);
    expect(migrate.command).toEqual(['node', 'main.js', 'migrate']);
    expect(migrate.depends_on?.['postgres']).toEqual({ condition: 'service_healthy' });
    expect(() => parseEnv(distributedEnvSchema, appEnvironment(migrate))).not.toThrow();
  });

  it('publishes the gateway (API and web UI) on the host', () => {
    const port = parseEnv(distributedEnvSchema, appEnvironment(compose.services['gateway'])).PORT;
    expect(compose.services['gateway'].ports).toEqual([`${exampleVariables()['HTTP_PORT']}:${port}`]);
  });

  it('the apps with a sidecar read their secrets from the Dapr secret store; the chat-agent keeps conversations in its state store', () => {
    for (const name of ['gateway', 'chat-agent', 'scheduler', 'audit'])
      expect(appEnvironment(compose.services[name])['SECRETS_SOURCE']).toBe('dapr');
    expect(appEnvironment(compose.services['chat-agent'])['CONVERSATION_STORE']).toBe('dapr');
    // no secret in their compose environment: it comes from the store alone
    for (const name of ['gateway', 'chat-agent', 'scheduler', 'audit'])
      for (const { variable } of DAPR_SECRETS)
        expect(compose.services[name].environment?.[variable]).toBeUndefined();
  });

  it('every app uses Dapr for events; the scheduler its Jobs API; the gateway reaches the chat-agent through it', () => {
    for (const [, service] of apps)
      expect(parseEnv(distributedEnvSchema, appEnvironment(service)).EVENT_TRANSPORT).toBe('dapr');
    expect(appEnvironment(compose.services['scheduler'])['REMINDER_TIMER']).toBe('dapr-jobs');
    expect(appEnvironment(compose.services['gateway'])['CHAT_AGENT_TRANSPORT']).toBe('dapr');
  });
});

describe.each(apps)('the Dapr sidecar of %s', (name, service) => {
  const sidecar = sidecarOf(name);
  const env = parseEnv(distributedEnvSchema, appEnvironment(service));
  const flags = commandFlags(sidecar?.command);
  const flag = (key: string) => flags.get(key)?.[0];
  const appId = flag('app-id') ?? '';
  const resources = sidecar ? sidecarResources(sidecar) : [];
  const components = resources.filter((resource) => resource.kind === 'Component');

  it('shares the app network namespace and runs daprd', () => {
    expect(sidecar?.image).toMatch(/^daprio\/daprd:/);
    expect(commandWords(sidecar?.command)[0]).toBe('./daprd');
  });

  it('has the app id the app names itself with, and reaches the sidecar on the port the app calls', () => {
    const source = serviceNameInSource(service);
    expect(appId).toBe(name);
    // (apps/realtime arrives with its own branch: until it is merged, only the service name is compared)
    if (source) expect(appId).toBe(source);
    expect(flag('dapr-http-port')).toBe(String(env.DAPR_HTTP_PORT));
  });

  it('calls the app on the port it serves Dapr on (the chat-agent: its HTTP API, for service invocation)', () => {
    const invokedByGateway = parseEnv(
      distributedEnvSchema,
      appEnvironment(compose.services['gateway']),
    ).CHAT_AGENT_APP_ID;
    // The gateway only publishes and invokes: daprd, ready only once an app port answers, gets none.
    const expected =
      appId === invokedByGateway ? env.PORT : appId === 'gateway' ? undefined : env.DAPR_APP_PORT;
    expect(flag('app-port')).toBe(expected === undefined ? undefined : String(expected));
  });

  it('loads the configuration and resiliency policy', () => {
    const config = readYaml(hostPath(sidecar as ComposeService, flag('config') ?? '')) as { kind: string };
    expect(config.kind).toBe('Configuration');
    expect(resources.filter((resource) => resource.kind === 'Resiliency')).toHaveLength(1);
  });

  it('finds the secret store the app reads its secrets from, scoped to it', () => {
    if (env.SECRETS_SOURCE !== 'dapr') return;
    const store = components.find((component) => component.metadata.name === env.DAPR_SECRET_STORE);
    expect(store?.spec.type).toMatch(/^secretstores\./);
    expect(store?.scopes).toContain(appId);
  });

  it('finds the state store of its conversations, scoped to it (CONVERSATION_STORE=dapr)', () => {
    if (env.CONVERSATION_STORE !== 'dapr') return;
    const store = components.find((component) => component.metadata.name === env.DAPR_STATE_STORE);
    expect(store?.spec.type).toBe('state.postgresql');
    expect(store?.scopes).toEqual([appId]);
  });

  it("finds the app's pub/sub component, scoped to it", () => {
    const pubsub = components.find((component) => component.metadata.name === env.DAPR_PUBSUB_NAME);
    expect(pubsub?.spec.type).toBe('pubsub.kafka');
    expect(pubsub?.scopes).toContain(appId);
  });

  it('loads each component name once, and every secret store a component reads is loaded and scoped to it', () => {
    const names = components.map((component) => component.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const component of components.filter((each) => each.auth && each.scopes?.includes(appId))) {
      const store = components.find((each) => each.metadata.name === component.auth?.secretStore);
      expect(store?.spec.type).toMatch(/^secretstores\./);
      expect(store?.scopes).toContain(appId);
    }
  });
});

describe('dapr/ resources', () => {
  const appIds = apps.map(([name]) => name);
  const loaded = apps.flatMap(([name]) => sidecarResources(sidecarOf(name) as ComposeService));
  const components = loaded.filter((resource) => resource.kind === 'Component');

  it('every component is scoped, to app ids that exist', () => {
    for (const component of components) {
      expect(component.scopes?.length).toBeGreaterThan(0);
      for (const scope of component.scopes ?? []) expect(appIds).toContain(scope);
    }
  });

  it('a consumer whose every replica must see every event (realtime) has a consumer group per sidecar', () => {
    const name = parseEnv(
      distributedEnvSchema,
      appEnvironment(compose.services['realtime']),
    ).DAPR_PUBSUB_NAME;
    const broadcast = components.find((component) => component.metadata.name === name);
    const group = broadcast?.spec.metadata?.find((field) => field.name === 'consumerGroup')?.value;
    expect(group).toMatch(/\{(uuid|podName)\}/);
    // and the shared component's group is per app id, so replicas of one app share the work
    const shared = components.find((component) => component.metadata.name === 'pubsub');
    expect(shared?.spec.metadata?.find((field) => field.name === 'consumerGroup')?.value).toBe('{appID}');
  });

  it('the resiliency policy targets only components and apps that exist', () => {
    const resiliency = loaded.find((resource) => resource.kind === 'Resiliency');
    const targets = resiliency?.spec['targets'] as { components?: object; apps?: object };
    for (const name of Object.keys(targets.components ?? {}))
      expect(components.map((component) => component.metadata.name)).toContain(name);
    for (const name of Object.keys(targets.apps ?? {})) expect(appIds).toContain(name);
  });

  it('the Kubernetes secret store has the name of the compose one, so components work unchanged', () => {
    const kubernetes = readYaml(join(workspaceRoot, 'dapr/kubernetes/secretstore.yaml')) as {
      metadata: { name: string };
      spec: { type: string };
    };
    expect(kubernetes.spec.type).toBe('secretstores.kubernetes');
    const compose = components.find((component) => component.spec.type === 'secretstores.local.file');
    expect(kubernetes.metadata.name).toBe(compose?.metadata.name);
  });

  it('the configuration lets apps read only the secrets the apps need, from a store that exists', () => {
    const config = readYaml(join(workspaceRoot, 'dapr/config.yaml')) as {
      spec: { secrets: { scopes: { storeName: string; defaultAccess: string; allowedSecrets: string[] }[] } };
    };
    const secretsExample = JSON.parse(
      readFileSync(join(workspaceRoot, 'dapr/compose/secrets.example.json'), 'utf8'),
    );
    for (const scope of config.spec.secrets.scopes) {
      expect(components.map((component) => component.metadata.name)).toContain(scope.storeName);
      expect(scope.defaultAccess).toBe('deny');
      expect(scope.allowedSecrets.sort()).toEqual(Object.keys(secretsExample).sort());
    }
  });
});
