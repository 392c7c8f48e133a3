// The generated manifests checked offline: every object against its schema (Kubernetes v1.36 via
// kubernetes-models, the vendored CRD schemas of Dapr, Strimzi and CloudNativePG), the semantic
// checks against the apps themselves, and the golden files; each check is shown to fail on a planted fault.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { DEPLOYABLES } from './deployables';
import { type Manifest, manifestTexts, renderManifests, writeManifests } from './manifests';
import { isBuiltIn, schemaProblems } from './validation/kubernetes-schema';
import { UnknownFieldCheck } from './validation/unknown-fields';
import {
  allProblems,
  consumedTopicsInSource,
  daprPortProblems,
  environmentProblems,
  healthRoutes,
  imageProblems,
  inlineSecretProblems,
  partitionProblems,
  probeProblems,
  projectsWithImages,
} from './validation/semantic-checks';
import { ENVIRONMENTS, maxReplicas, VALUES, type Values } from './values';

const unknownFields = new UnknownFieldCheck();
const goldenFolder = (env: string) => join(__dirname, '..', 'golden', env);
const objectsOf = (values: Values) => renderManifests(values).flatMap((file) => file.objects);
/** A deep copy to plant a fault in. */
const copy = (objects: Manifest[]) => JSON.parse(JSON.stringify(objects)) as Manifest[];
const find = (objects: Manifest[], kind: string, name: string) => {
  const object = objects.find((each) => each.kind === kind && each.metadata.name === name);
  if (!object) throw new Error(`${kind}/${name} is not generated`);
  return object as Manifest & { spec: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const appContainer = (objects: Manifest[], name: string) =>
  find(objects, 'Deployment', name).spec.template.spec.containers[0];

describe.each(ENVIRONMENTS)('%s manifests', (env) => {
  const values = VALUES[env];
  const objects = objectsOf(values);

  it('every object is valid against its schema (Kubernetes API or the CRD)', () => {
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('no Kubernetes object has a field its API does not know', () => {
    expect(objects.filter(isBuiltIn).flatMap((object) => unknownFields.problems(object))).toEqual([]);
  });

  it('pass every semantic check', () => {
    expect(allProblems(objects, values)).toEqual([]);
  });

  it('have a Deployment, Service, PodDisruptionBudget, NetworkPolicy and ServiceAccount per app, autoscalers for gateway, chat-agent and realtime', () => {
    for (const { appId } of DEPLOYABLES)
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceAccount'])
        expect(find(objects, kind, appId).metadata.name).toBe(appId);
    const autoscaled = objects
      .filter((object) => object.kind === 'HorizontalPodAutoscaler')
      .map((object) => object.metadata.name);
    expect(autoscaled.sort()).toEqual(['chat-agent', 'gateway', 'realtime']);
  });

  it('deny all traffic by default, in the namespace of every object', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    for (const object of objects.filter((each) => each.kind !== 'Namespace'))
      expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}`).toBe(
        `${object.kind}/${object.metadata.name} in ${values.namespace}`,
      );
  });

  it('run the apps non-root with a read-only root filesystem, spread over zones and nodes', () => {
    for (const { appId } of DEPLOYABLES) {
      const pod = find(objects, 'Deployment', appId).spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.containers[0].securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.topologySpreadConstraints.map((each: { topologyKey: string }) => each.topologyKey)).toEqual([
        'topology.kubernetes.io/zone',
        'kubernetes.io/hostname',
      ]);
    }
  });

  it('the Dapr resources are those of dapr/, scoped to app ids that exist', () => {
    const components = objects.filter((object) => object.kind === 'Component');
    expect(components.map((object) => object.metadata.name).sort()).toEqual([
      'pubsub',
      'pubsub-broadcast',
      'secretstore',
      'statestore',
    ]);
    for (const component of components)
      for (const scope of component['scopes'] as string[])
        expect(DEPLOYABLES.map((each) => each.appId)).toContain(scope);
    expect(objects.filter((object) => object.kind === 'Resiliency')).toHaveLength(1);
    expect(find(objects, 'Configuration', 'todo').kind).toBe('Configuration');
  });

  it('match the golden files (after a deliberate change: npm run manifests:golden)', () => {
    const folder = goldenFolder(env);
    const golden = Object.fromEntries(
      readdirSync(folder).map((name) => [name, readFileSync(join(folder, name), 'utf8')]),
    );
    expect(manifestTexts(renderManifests(values))).toEqual(golden);
  });

  it('kubectl kustomize accepts the folder (skipped without kubectl)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'manifests-'));
    try {
      writeManifests(folder, renderManifests(values));
      const run = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
      if (run.error) {
        console.warn(
          `SKIPPED: kubectl is not installed (${run.error.message}); kustomization.yaml not checked`,
        );
        return;
      }
      expect(run.stderr).toBe('');
      expect(run.stdout.split('\n---\n')).toHaveLength(objects.length);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

it('Kafka runs in KRaft mode with a node pool, with every topic and its .dlq (Minikube); Dapr reaches external brokers over SASL/TLS (cloud)', () => {
  const minikube = objectsOf(VALUES.minikube);
  expect(find(minikube, 'Kafka', 'todo-kafka').metadata.annotations).toEqual({
    'strimzi.io/node-pools': 'enabled',
    'strimzi.io/kraft': 'enabled',
  });
  expect(find(minikube, 'KafkaNodePool', 'dual-role').spec.roles).toEqual(['controller', 'broker']);
  expect(
    minikube
      .filter((object) => object.kind === 'KafkaTopic')
      .map((object) => object.metadata.name)
      .sort(),
  ).toEqual([
    'reminders',
    'reminders.dlq',
    'task-events',
    'task-events.dlq',
    'task-updates',
    'task-updates.dlq',
  ]);
  const cloud = objectsOf(VALUES.cloud);
  expect(cloud.filter((object) => ['Kafka', 'KafkaTopic', 'Cluster'].includes(object.kind))).toEqual([]);
  const metadata = Object.fromEntries(
    (
      find(cloud, 'Component', 'pubsub').spec.metadata as {
        name: string;
        value?: string;
        secretKeyRef?: object;
      }[]
    ).map((item) => [item.name, item.value ?? item.secretKeyRef]),
  );
  expect(metadata).toMatchObject({
    authType: 'password',
    disableTls: 'false',
    saslPassword: { name: 'kafka-credentials', key: 'password' },
  });
});

it('the migration Job runs the gateway image with `migrate`, and the apps only check the schema', () => {
  const objects = objectsOf(VALUES.cloud);
  const job = objects.find((object) => object.kind === 'Job') as Manifest & { spec: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(job.spec.template.spec.containers[0]).toMatchObject({
    image: 'ghcr.io/OWNER/todo-assistant/gateway:TAG',
    command: ['node', 'main.js', 'migrate'],
  });
  expect(find(objects, 'ConfigMap', 'todo-config')['data']).toMatchObject({ MIGRATIONS_RUN: 'false' });
});

describe('the catalogue matches the apps', () => {
  it.each(DEPLOYABLES)('$appId consumes the topics its handlers subscribe to', (deployable) => {
    expect([...deployable.consumes].sort()).toEqual(consumedTopicsInSource(deployable));
  });

  it('every project CI builds an image of is deployed, and only those', () => {
    expect(DEPLOYABLES.map((each) => each.project).sort()).toEqual(projectsWithImages().sort());
  });

  it('the health routes are read from the app', () => {
    expect(healthRoutes().sort()).toEqual(['/health/live', '/health/ready']);
  });
});

describe('planted faults: each check fails', () => {
  const values = VALUES.minikube;
  const objects = objectsOf(values);

  it('a wrong type, an unknown enum value, a missing required field fail the Kubernetes schema', () => {
    const planted = copy(objects);
    find(planted, 'Deployment', 'gateway').spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    find(planted, 'Service', 'gateway').spec.ports[0].port = 'http';
    delete find(planted, 'RoleBinding', 'gateway-secret-reader')['roleRef'];
    expect(planted.flatMap(schemaProblems)).toEqual([
      'RoleBinding/gateway-secret-reader: data must have required property roleRef',
      expect.stringContaining('imagePullPolicy must be equal to one of the allowed values'),
      'Service/gateway: data/spec/ports/0/port must be integer',
    ]);
  });

  it('a misspelt probe, a field in the wrong place and an unknown port field are unknown fields', () => {
    const planted = copy(objects);
    const container = appContainer(planted, 'gateway');
    container.readinesProbe = container.readinessProbe;
    find(planted, 'Deployment', 'audit').spec.template.replicas = 2;
    find(planted, 'Service', 'realtime').spec.ports[0].portName = 'http';
    find(planted, 'ConfigMap', 'todo-config')['data'] = { ANY_NAME: 'is fine in a map' };
    (find(planted, 'Namespace', 'todo').metadata as Record<string, unknown>)['lables'] = {};
    expect(planted.filter(isBuiltIn).flatMap((object) => unknownFields.problems(object))).toEqual([
      'Namespace/todo: /metadata/lables: unknown field',
      'Deployment/gateway: /spec/template/spec/containers[0]/readinesProbe: unknown field',
      'Deployment/audit: /spec/template/replicas: unknown field',
      'Service/realtime: /spec/ports[0]/portName: unknown field',
    ]);
  });

  it('a misspelt field, a bad listener and a zero partition count fail the CRD schemas', () => {
    const planted = copy(objects);
    find(planted, 'KafkaTopic', 'task-events').spec.partitions = 0;
    find(planted, 'Kafka', 'todo-kafka').spec.kafka.listeners[0].type = 'public';
    find(planted, 'Cluster', 'todo-db').spec.storage.sise = '1Gi';
    find(planted, 'Resiliency', 'todo-resiliency').spec.targets.components.pubsub.incoming = {};
    find(planted, 'Component', 'pubsub').spec.version = undefined;
    const problems = planted.flatMap(schemaProblems).join('\n');
    for (const expected of [
      'KafkaTopic/task-events: /spec/partitions must be >= 1',
      'Kafka/todo-kafka: /spec/kafka/listeners/0/type must be equal to one of the allowed values',
      'Cluster/todo-db: /spec/storage must NOT have additional properties',
      'Resiliency/todo-resiliency: /spec/targets/components/pubsub must NOT have additional properties',
      "Component/pubsub: /spec must have required property 'version'",
    ])
      expect(problems).toContain(expected);
  });

  it('an environment the app would refuse at boot', () => {
    const planted = copy(objects);
    find(planted, 'ConfigMap', 'todo-config')['data'] = {
      ...(find(planted, 'ConfigMap', 'todo-config')['data'] as object),
      EVENT_TRANSPORT: 'memory',
    };
    appContainer(planted, 'scheduler').env.push({ name: 'REMINDER_SWEEP_INTERVAL_MS', value: 'soon' });
    const problems = environmentProblems(planted).join('\n');
    expect(problems).toContain('EVENT_TRANSPORT: choose kafka or dapr');
    expect(problems).toContain('REMINDER_SWEEP_INTERVAL_MS: expected a whole number');
  });

  it('a secret written into the manifests', () => {
    const planted = copy(objects);
    appContainer(planted, 'audit').env.push({ name: 'JWT_SECRET', value: 'x'.repeat(40) });
    expect(inlineSecretProblems(planted)).toEqual([
      'Deployment/audit: JWT_SECRET must come from a Secret (secretKeyRef)',
    ]);
  });

  it('a probe on a route the app does not serve, or on another port', () => {
    const planted = copy(objects);
    appContainer(planted, 'audit').readinessProbe.httpGet.path = '/healthz';
    appContainer(planted, 'realtime').livenessProbe.httpGet.port = 8080;
    expect(probeProblems(planted)).toEqual([
      expect.stringContaining('audit readiness probe: /healthz is not a route of the app'),
      expect.stringContaining('realtime liveness probe: port 8080, but the app listens on PORT=3000'),
    ]);
  });

  it('a Dapr app port other than DAPR_APP_PORT (the HTTP port for the invoked chat-agent, none for the gateway)', () => {
    const planted = copy(objects);
    find(planted, 'Deployment', 'audit').spec.template.metadata.annotations['dapr.io/app-port'] = '3000';
    find(planted, 'Deployment', 'chat-agent').spec.template.metadata.annotations['dapr.io/app-port'] = '3001';
    find(planted, 'Deployment', 'gateway').spec.template.metadata.annotations['dapr.io/app-port'] = '3001';
    expect(daprPortProblems(planted)).toEqual([
      expect.stringContaining('gateway: dapr.io/app-port 3001, but the app serves Dapr nothing'),
      'chat-agent: dapr.io/app-port 3001, the app serves Dapr on 3000',
      'audit: dapr.io/app-port 3000, the app serves Dapr on 3001',
    ]);
  });

  it('more consumers than partitions, and a missing dead-letter topic', () => {
    const planted = copy(objects);
    find(planted, 'HorizontalPodAutoscaler', 'realtime').spec.maxReplicas = 9;
    const withoutDlq = planted.filter((object) => object.metadata.name !== 'reminders.dlq');
    expect(partitionProblems(withoutDlq, values)).toEqual([
      'task-updates: 4 partitions, but realtime may run 9 consumers',
      'reminders: 4 partitions, but realtime may run 9 consumers',
      'reminders.dlq: no KafkaTopic',
    ]);
    const cloud = VALUES.cloud;
    const fewer = { ...cloud, topics: { ...cloud.topics, partitions: maxReplicas(cloud.apps.realtime) - 1 } };
    expect(partitionProblems(objectsOf(cloud), fewer)).toContain(
      'task-updates: 9 partitions, but realtime may run 10 consumers',
    );
  });

  it('an image CI does not build', () => {
    const planted = copy(objects);
    appContainer(planted, 'gateway').image = 'todo-assistant/standalone:latest';
    appContainer(planted, 'audit').image = 'docker.io/someone/audit:latest';
    expect(imageProblems(planted, values)).toEqual([
      expect.stringContaining(
        'Deployment/gateway: todo-assistant/standalone:latest is not an image CI builds',
      ),
      expect.stringContaining('Deployment/audit: docker.io/someone/audit:latest is not an image CI builds'),
    ]);
  });

  it('a change to the manifests differs from the golden files', () => {
    const changed = { ...values, logLevel: 'debug' as const };
    const golden = readFileSync(join(goldenFolder('minikube'), '10-platform.yaml'), 'utf8');
    expect(manifestTexts(renderManifests(changed))['10-platform.yaml']).not.toEqual(golden);
  });
});
