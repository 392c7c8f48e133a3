import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  IntOrString,
  KubeHorizontalPodAutoscalerV2,
  KubeIngress,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeRole,
  KubeRoleBinding,
  type NetworkPolicyEgressRule,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
} from 'cdk8s-plus-33/lib/imports/k8s';
import { deadLetterTopic } from '@todo/events';
import { Construct } from 'constructs';
import { daprResources } from './dapr-resources';
import {
  DAPR_APP_PORT,
  DAPR_HTTP_PORT,
  DEPLOYABLES,
  type Deployable,
  HTTP_PORT,
  MIGRATION_PROJECT,
} from './deployables';
import { type AppValues, maxReplicas, type Values } from './values';

/** The files of one environment's manifests, applied in this order (`kubectl apply -f` sorts by name). */
export const STAGES = ['00-namespace', '10-platform', '20-migrate', '30-apps'] as const;

const PART_OF = 'todo-assistant';
const CONFIG_MAP = 'todo-config';
/** The Secrets the apps read and their sidecars resolve (named like the compose secrets). */
function secretNames(values: Values): string[] {
  return [
    databaseUrlSecret(values)[0],
    'jwt-secret',
    'openai-api-key',
    ...(values.kafka.mode === 'external' ? [values.kafka.credentialsSecret] : []),
  ];
}

export function imageOf(values: Values, project: string): string {
  return `${values.images.repository}/${project}:${values.images.tag}`;
}

const appLabels = (appId: string) => ({
  'app.kubernetes.io/name': appId,
  'app.kubernetes.io/part-of': PART_OF,
});

/** The cdk8s app of one environment: one chart per stage. */
export function todoApp(values: Values): App {
  const app = new App();
  const namespaceChart = new Chart(app, STAGES[0], { disableResourceNameHashes: true });
  const inClusterServices = values.kafka.mode === 'strimzi' || values.postgres.mode === 'cloudnative-pg';
  new kplus.Namespace(namespaceChart, 'namespace', {
    metadata: {
      name: values.namespace,
      // Pod Security Admission: the apps meet the restricted profile; where the operators' Kafka and
      // PostgreSQL pods share the namespace (Minikube) it is enforced as baseline and warned about.
      labels: {
        'pod-security.kubernetes.io/enforce': inClusterServices ? 'baseline' : 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        'app.kubernetes.io/part-of': PART_OF,
      },
    },
  });
  const chartProps = { namespace: values.namespace, disableResourceNameHashes: true };
  const platform = new Chart(app, STAGES[1], chartProps);
  platformResources(platform, values);
  const migrate = new Chart(app, STAGES[2], chartProps);
  migrationJob(migrate, values);
  const apps = new Chart(app, STAGES[3], chartProps);
  for (const deployable of DEPLOYABLES) appResources(apps, values, deployable);
  ingress(apps, values);
  return app;
}

/** Shared configuration, Dapr resources, Kafka, PostgreSQL, network policies, RBAC. */
function platformResources(chart: Chart, values: Values) {
  new kplus.ConfigMap(chart, 'config', {
    metadata: { name: CONFIG_MAP },
    data: {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: String(HTTP_PORT),
      LOG_LEVEL: values.logLevel,
      EVENT_TRANSPORT: 'dapr',
      DAPR_HTTP_PORT: String(DAPR_HTTP_PORT),
      DAPR_APP_PORT: String(DAPR_APP_PORT),
      DAPR_PUBSUB_NAME: 'pubsub',
      // The migration Job migrates; apps only check that the schema is current (readiness).
      MIGRATIONS_RUN: 'false',
      // Secrets reach the processes as Secret references in their environment (the kubelet resolves
      // them; the migration Job has no sidecar to ask), not from the sidecar's secret store.
      SECRETS_SOURCE: 'env',
    },
  });
  for (const resource of daprResources(values)) {
    const { file: _file, kind, metadata, ...body } = resource;
    new ApiObject(chart, `dapr-${kind}-${metadata.name}`, {
      apiVersion: 'dapr.io/v1alpha1',
      kind,
      metadata: { name: metadata.name },
      ...body,
    });
  }
  if (values.kafka.mode === 'strimzi') strimziKafka(chart, values, values.kafka);
  if (values.postgres.mode === 'cloudnative-pg') cloudNativePg(chart, values.postgres);
  networkPolicies(chart, values);
  // The sidecars' Kubernetes secret store reads these Secrets with the pod's service account.
  new KubeRole(chart, 'secret-reader', {
    metadata: { name: 'todo-secret-reader' },
    rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: secretNames(values), verbs: ['get'] }],
  });
}

function strimziKafka(chart: Chart, values: Values, kafka: Extract<Values['kafka'], { mode: 'strimzi' }>) {
  const clusterLabel = { 'strimzi.io/cluster': kafka.cluster };
  const replication = String(Math.min(kafka.nodes, 3));
  new ApiObject(chart, 'kafka', {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'Kafka',
    metadata: {
      name: kafka.cluster,
      annotations: { 'strimzi.io/node-pools': 'enabled', 'strimzi.io/kraft': 'enabled' },
    },
    spec: {
      kafka: {
        version: kafka.version,
        listeners: [{ name: 'plain', port: 9092, type: 'internal', tls: false }],
        config: {
          'offsets.topic.replication.factor': replication,
          'transaction.state.log.replication.factor': replication,
          'transaction.state.log.min.isr': String(Math.min(kafka.nodes, 2)),
          'default.replication.factor': replication,
          'min.insync.replicas': String(Math.min(kafka.nodes, 2)),
          // topics are KafkaTopic resources below, with their partitions
          'auto.create.topics.enable': 'false',
        },
      },
      entityOperator: { topicOperator: {} },
    },
  });
  new ApiObject(chart, 'kafka-node-pool', {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaNodePool',
    metadata: { name: 'dual-role', labels: clusterLabel },
    spec: {
      replicas: kafka.nodes,
      roles: ['controller', 'broker'],
      storage: {
        type: 'jbod',
        volumes: [
          {
            id: 0,
            type: 'persistent-claim',
            size: kafka.storage,
            deleteClaim: false,
            kraftMetadata: 'shared',
          },
        ],
      },
    },
  });
  const retention = String(values.topics.retentionHours * 3_600_000);
  for (const topic of values.topics.names.flatMap((name) => [name, deadLetterTopic(name)]))
    new ApiObject(chart, `topic-${topic}`, {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: topic, labels: clusterLabel },
      spec: {
        partitions: values.topics.partitions,
        replicas: values.topics.replication,
        config: { 'retention.ms': retention },
      },
    });
}

function cloudNativePg(chart: Chart, postgres: Extract<Values['postgres'], { mode: 'cloudnative-pg' }>) {
  new ApiObject(chart, 'postgres', {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: postgres.cluster },
    spec: {
      instances: postgres.instances,
      // the operator creates the database and its owner, and Secret `<cluster>-app` with its `uri`
      bootstrap: { initdb: { database: postgres.database, owner: postgres.database } },
      storage: { size: postgres.storage },
      postgresql: { parameters: { max_connections: '200' } },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    },
  });
}

/** The Secret behind `DATABASE_URL`: the operator's app secret on Minikube, `database-url` otherwise. */
function databaseUrlSecret(values: Values): readonly [string, string] {
  return values.postgres.mode === 'cloudnative-pg'
    ? [`${values.postgres.cluster}-app`, 'uri']
    : ['database-url', 'database-url'];
}

function sharedEnvironment(chart: Construct, values: Values, deployable: Pick<Deployable, 'secrets'>) {
  const secretEnv = (name: string, [secretName, key, optional]: readonly [string, string, boolean?]) => [
    name,
    kplus.EnvValue.fromSecretValue(
      { secret: kplus.Secret.fromSecretName(chart, `${name}-${secretName}`, secretName), key },
      { optional: optional ?? false },
    ),
  ];
  return {
    envFrom: [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'shared-config', CONFIG_MAP))],
    secretVariables: Object.fromEntries(
      Object.entries({
        DATABASE_URL: databaseUrlSecret(values),
        JWT_SECRET: ['jwt-secret', 'jwt-secret'] as const,
        ...deployable.secrets,
      }).map(([name, ref]) => secretEnv(name, ref)),
    ) as Record<string, kplus.EnvValue>,
  };
}

/** Non-root, read-only root filesystem, no capabilities: the restricted Pod Security profile. */
const containerSecurity: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: 1000, // the image's `node` user
  group: 1000,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

const resources = (app: AppValues): kplus.ContainerResources => ({
  cpu: { request: kplus.Cpu.millis(millis(app.cpu.request)), limit: kplus.Cpu.millis(millis(app.cpu.limit)) },
  memory: {
    request: Size.mebibytes(mebibytes(app.memory.request)),
    limit: Size.mebibytes(mebibytes(app.memory.limit)),
  },
});

const millis = (cpu: string) => (cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
const mebibytes = (memory: string) =>
  memory.endsWith('Gi') ? Number(memory.slice(0, -2)) * 1024 : Number(memory.replace(/Mi$/, ''));

/** The migrations, once per release, before the new pods can be ready (their readiness needs them). */
function migrationJob(chart: Chart, values: Values) {
  const { envFrom, secretVariables } = sharedEnvironment(new Construct(chart, 'migrate-references'), values, {
    secrets: {},
  });
  const serviceAccount = new kplus.ServiceAccount(chart, 'migrate-account', {
    metadata: { name: 'todo-migrate', labels: appLabels('migrate') },
    automountToken: false,
  });
  const job = new kplus.Job(chart, 'migrate', {
    metadata: {
      name: `migrate-${values.images.tag
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 40)}`,
    },
    podMetadata: { labels: appLabels('migrate') },
    serviceAccount,
    automountServiceAccountToken: false,
    backoffLimit: 4,
    activeDeadline: Duration.minutes(10),
    ttlAfterFinished: Duration.days(1),
    securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
    containers: [
      {
        name: 'migrate',
        image: imageOf(values, MIGRATION_PROJECT),
        imagePullPolicy: values.images.pullPolicy as kplus.ImagePullPolicy,
        command: ['node', 'main.js', 'migrate'],
        envFrom,
        envVariables: secretVariables,
        securityContext: containerSecurity,
        resources: resources(values.apps.gateway),
      },
    ],
  });
  seccompAndTmp(job, chart, 'migrate');
}

/** The pod-level seccomp profile (not in cdk8s-plus's props) and a writable /tmp on the read-only root. */
function seccompAndTmp(workload: kplus.Workload | kplus.Job, scope: Construct, id: string) {
  const tmp = kplus.Volume.fromEmptyDir(scope, `${id}-tmp`, 'tmp', {
    medium: kplus.EmptyDirMedium.MEMORY,
    sizeLimit: Size.mebibytes(64),
  });
  workload.containers[0].mount('/tmp', tmp);
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
  );
}

function appResources(chart: Chart, values: Values, deployable: Deployable) {
  const appValues = values.apps[deployable.appId];
  const name = deployable.appId;
  const labels = appLabels(name);
  const { envFrom, secretVariables } = sharedEnvironment(
    new Construct(chart, `${name}-references`),
    values,
    deployable,
  );
  const serviceAccount = new kplus.ServiceAccount(chart, `${name}-account`, {
    metadata: { name, labels },
    // the sidecar's Kubernetes secret store authenticates with the pod's token
    automountToken: true,
  });
  new KubeRoleBinding(chart, `${name}-secret-reader`, {
    metadata: { name: `${name}-secret-reader` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'todo-secret-reader' },
    subjects: [{ kind: 'ServiceAccount', name, namespace: values.namespace }],
  });
  const autoscaled = typeof appValues.replicas !== 'number';
  const deployment = new kplus.Deployment(chart, name, {
    metadata: { name, labels },
    replicas: typeof appValues.replicas === 'number' ? appValues.replicas : appValues.replicas.min,
    select: false,
    podMetadata: {
      labels,
      annotations: {
        'dapr.io/enabled': 'true',
        'dapr.io/app-id': deployable.appId,
        ...(deployable.daprAppPort ? { 'dapr.io/app-port': String(deployable.daprAppPort) } : {}),
        'dapr.io/config': 'todo',
        'dapr.io/sidecar-cpu-request': '50m',
        'dapr.io/sidecar-memory-request': '64Mi',
        'dapr.io/sidecar-memory-limit': '256Mi',
        // the app drains for up to 30 s on SIGTERM; the sidecar must outlive it
        'dapr.io/graceful-shutdown-seconds': '35',
      },
    },
    serviceAccount,
    automountServiceAccountToken: true,
    securityContext: { ensureNonRoot: true, user: 1000, group: 1000, fsGroup: 1000 },
    terminationGracePeriod: Duration.seconds(45),
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
    containers: [
      {
        name: 'app',
        image: imageOf(values, deployable.project),
        imagePullPolicy: values.images.pullPolicy as kplus.ImagePullPolicy,
        ports: [{ name: 'http', number: HTTP_PORT }],
        envFrom,
        envVariables: {
          ...Object.fromEntries(
            Object.entries(deployable.env).map(([key, value]) => [key, kplus.EnvValue.fromValue(value)]),
          ),
          ...secretVariables,
        },
        startup: kplus.Probe.fromHttpGet('/health/live', {
          port: HTTP_PORT,
          periodSeconds: Duration.seconds(2),
          failureThreshold: 30,
        }),
        liveness: kplus.Probe.fromHttpGet('/health/live', {
          port: HTTP_PORT,
          periodSeconds: Duration.seconds(10),
          failureThreshold: 3,
          timeoutSeconds: Duration.seconds(3),
        }),
        readiness: kplus.Probe.fromHttpGet('/health/ready', {
          port: HTTP_PORT,
          periodSeconds: Duration.seconds(5),
          failureThreshold: 2,
          timeoutSeconds: Duration.seconds(3),
        }),
        resources: resources(appValues),
        securityContext: containerSecurity,
      },
    ],
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  seccompAndTmp(deployment, chart, name);
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add(
      '/spec/template/spec/topologySpreadConstraints',
      ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: labels },
      })),
    ),
  );
  if (autoscaled) ApiObject.of(deployment).addJsonPatch(JsonPatch.remove('/spec/replicas'));
  new kplus.Service(chart, `${name}-service`, {
    metadata: { name, labels },
    selector: deployment,
    ports: [{ name: 'http', port: HTTP_PORT, targetPort: HTTP_PORT }],
  });
  if (typeof appValues.replicas !== 'number')
    new KubeHorizontalPodAutoscalerV2(chart, `${name}-autoscaler`, {
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: appValues.replicas.min,
        maxReplicas: appValues.replicas.max,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: appValues.replicas.cpuUtilization },
            },
          },
        ],
        // scale in slowly: realtime sockets and Kafka group members move on every change
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });
  new KubePodDisruptionBudget(chart, `${name}-disruption-budget`, {
    metadata: { name, labels },
    spec: {
      // one pod at a time; with a single replica a drain still proceeds (brief outage, said in README)
      maxUnavailable: IntOrString.fromNumber(1),
      selector: { matchLabels: labels },
    },
  });
  if (maxReplicas(appValues) < 1) throw new Error(`${name}: at least one replica`);
}

/** The web app and API to the gateway; the WebSocket (and its ticket route) to realtime. */
function ingress(chart: Chart, values: Values) {
  const backend = (service: string) => ({ service: { name: service, port: { number: HTTP_PORT } } });
  new KubeIngress(chart, 'ingress', {
    metadata: {
      name: 'todo',
      annotations: {
        // WebSockets stay open for hours; nginx passes the Upgrade header itself
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-body-size': '1m',
      },
    },
    spec: {
      ingressClassName: values.ingress.className,
      tls: values.ingress.tlsSecret
        ? [{ hosts: [values.ingress.host], secretName: values.ingress.tlsSecret }]
        : undefined,
      rules: [
        {
          host: values.ingress.host,
          http: {
            paths: [
              { path: '/realtime', pathType: 'Exact', backend: backend('realtime') },
              { path: '/api/v1/realtime', pathType: 'Prefix', backend: backend('realtime') },
              { path: '/', pathType: 'Prefix', backend: backend('gateway') },
            ],
          },
        },
      ],
    },
  });
}

const tcp = (port: number): NetworkPolicyPort => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
const namespaceNamed = (name: string): NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const ipBlocks = (cidrs: string[]): NetworkPolicyPeer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

/** Egress to a service's pods in this namespace (by their labels) or outside the cluster (its CIDRs). */
function egressTo(
  service: { labels: Record<string, string>; port: number } | { cidrs: string[]; port: number },
): NetworkPolicyEgressRule {
  const to =
    'labels' in service ? [{ podSelector: { matchLabels: service.labels } }] : ipBlocks(service.cidrs);
  return { to, ports: [tcp(service.port)] };
}

/** Deny everything, then allow what each app needs (and the operators' pods what they need). */
function networkPolicies(chart: Chart, values: Values) {
  new KubeNetworkPolicy(chart, 'default-deny', {
    metadata: { name: 'default-deny' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const postgresEgress = egressTo(
    values.postgres.mode === 'cloudnative-pg'
      ? { labels: { 'cnpg.io/cluster': values.postgres.cluster }, port: 5432 }
      : values.postgres,
  );
  const kafkaEgress = egressTo(
    values.kafka.mode === 'strimzi'
      ? { labels: { 'strimzi.io/cluster': values.kafka.cluster }, port: 9092 }
      : values.kafka,
  );
  const everyApp: NetworkPolicyEgressRule[] = [
    {
      to: [namespaceNamed('kube-system')],
      ports: [{ protocol: 'UDP', port: IntOrString.fromNumber(53) }, tcp(53)],
    },
    // the sidecar: operator, placement, scheduler (Jobs API), sentry
    { to: [namespaceNamed('dapr-system')] },
    // the sidecar's Kubernetes secret store
    { to: ipBlocks(values.kubernetesApiCidrs), ports: [tcp(443), tcp(6443)] },
    postgresEgress,
    kafkaEgress,
  ];
  for (const deployable of DEPLOYABLES) {
    const ingressRules = [];
    if (deployable.public)
      ingressRules.push({
        from: [namespaceNamed(values.ingressControllerNamespace)],
        ports: [tcp(HTTP_PORT)],
      });
    const callers = DEPLOYABLES.filter((caller) => caller.invokes.includes(deployable.appId));
    // service invocation arrives at the callee's sidecar (Dapr's internal gRPC port)
    if (callers.length)
      ingressRules.push({
        from: callers.map((caller) => ({ podSelector: { matchLabels: appLabels(caller.appId) } })),
        ports: [tcp(50002)],
      });
    const egress = [...everyApp];
    for (const callee of deployable.invokes)
      egress.push({ to: [{ podSelector: { matchLabels: appLabels(callee) } }], ports: [tcp(50002)] });
    if (deployable.internetEgress)
      egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443)] });
    new KubeNetworkPolicy(chart, `${deployable.appId}-network`, {
      metadata: { name: deployable.appId },
      spec: {
        podSelector: { matchLabels: appLabels(deployable.appId) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: ingressRules,
        egress,
      },
    });
  }
  new KubeNetworkPolicy(chart, 'migrate-network', {
    metadata: { name: 'migrate' },
    spec: {
      podSelector: { matchLabels: appLabels('migrate') },
      policyTypes: ['Egress'],
      egress: [everyApp[0], postgresEgress],
    },
  });
  if (values.kafka.mode === 'strimzi')
    operatorPodsPolicy(
      chart,
      'kafka',
      { 'strimzi.io/cluster': values.kafka.cluster },
      values.kafka.operatorNamespace,
    );
  if (values.postgres.mode === 'cloudnative-pg')
    operatorPodsPolicy(
      chart,
      'postgres',
      { 'cnpg.io/cluster': values.postgres.cluster },
      values.postgres.operatorNamespace,
    );
}

/**
 * The brokers' and database's pods live in this namespace too: they talk to each other, to the apps
 * and to their operator, so they accept traffic from this namespace's pods and the operator's
 * namespace; their egress (operator, API server, each other) is not restricted.
 */
function operatorPodsPolicy(
  chart: Chart,
  name: string,
  matchLabels: Record<string, string>,
  operatorNamespace: string,
) {
  new KubeNetworkPolicy(chart, `${name}-network`, {
    metadata: { name },
    spec: {
      podSelector: { matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }, namespaceNamed(operatorNamespace)] }],
      egress: [{}],
    },
  });
}
