import { TOPICS, type Topic } from '@todo/events';

/** One set of manifests per environment: `npm run manifests -- --env <name>`. */
export const ENVIRONMENTS = ['minikube', 'cloud'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** The five deployables' Dapr app ids (= the `service` name each main.ts gives its config). */
export type AppId = 'gateway' | 'chat-agent' | 'scheduler' | 'audit' | 'realtime';

export interface AppValues {
  /** Fixed replica count, or the autoscaler's bounds (gateway, chat-agent, realtime). */
  replicas: number | { min: number; max: number; cpuUtilization: number };
  cpu: { request: string; limit: string };
  memory: { request: string; limit: string };
}

/** Kafka in the cluster (Strimzi operator, KRaft) or a managed service reached over SASL/TLS. */
export type KafkaValues =
  | {
      mode: 'strimzi';
      cluster: string;
      /** Where the Strimzi cluster operator runs (it reaches the brokers). */
      operatorNamespace: string;
      version: string;
      nodes: number;
      storage: string;
    }
  | {
      mode: 'external';
      brokers: string[];
      /** Dapr's `saslMechanism` for the Kafka component. */
      saslMechanism: 'SHA-512' | 'SHA-256' | 'PLAINTEXT';
      /** Secret with keys `username` and `password` (created by the operator of the cluster). */
      credentialsSecret: string;
      /** Where the brokers are, for the egress policy. */
      cidrs: string[];
      port: number;
    };

/** PostgreSQL in the cluster (CloudNativePG) or a managed database. */
export type PostgresValues =
  | {
      mode: 'cloudnative-pg';
      cluster: string;
      /** Where the CloudNativePG operator runs (it reaches the instances). */
      operatorNamespace: string;
      instances: number;
      storage: string;
      database: string;
    }
  | {
      /** The URL comes from Secret `database-url` (key `database-url`); these say where it points. */
      mode: 'external';
      cidrs: string[];
      port: number;
    };

export interface Values {
  environment: EnvironmentName;
  namespace: string;
  images: {
    /** `<repository>/<nx project>:<tag>`; CI pushes `ghcr.io/<owner>/todo-assistant/<project>`. */
    repository: string;
    tag: string;
    pullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  };
  ingress: { className: string; host: string; tlsSecret?: string };
  logLevel: 'info' | 'debug' | 'warn';
  kafka: KafkaValues;
  /** Partitions bound consumer parallelism: at least the most replicas any consumer deployment may run. */
  topics: { partitions: number; replication: number; retentionHours: number; names: Topic[] };
  postgres: PostgresValues;
  /** Where the API server is, for the sidecars' Kubernetes secret store (egress policy). */
  kubernetesApiCidrs: string[];
  /** Namespace of the ingress controller (allowed to reach gateway and realtime). */
  ingressControllerNamespace: string;
  apps: Record<AppId, AppValues>;
}

const topicNames = Object.values(TOPICS);

const small = (replicas: AppValues['replicas']): AppValues => ({
  replicas,
  cpu: { request: '100m', limit: '1' },
  memory: { request: '192Mi', limit: '512Mi' },
});

/** One node, images loaded with `minikube image load`, Kafka and PostgreSQL run by their operators. */
export const minikube: Values = {
  environment: 'minikube',
  namespace: 'todo',
  images: { repository: 'todo-assistant', tag: 'latest', pullPolicy: 'IfNotPresent' },
  ingress: { className: 'nginx', host: 'todo.local' },
  logLevel: 'info',
  kafka: {
    mode: 'strimzi',
    cluster: 'todo-kafka',
    operatorNamespace: 'kafka',
    version: '4.1.0',
    nodes: 1,
    storage: '5Gi',
  },
  topics: { partitions: 4, replication: 1, retentionHours: 168, names: topicNames },
  postgres: {
    mode: 'cloudnative-pg',
    cluster: 'todo-db',
    operatorNamespace: 'cnpg-system',
    instances: 1,
    storage: '2Gi',
    database: 'todo',
  },
  kubernetesApiCidrs: ['0.0.0.0/0'],
  ingressControllerNamespace: 'ingress-nginx',
  apps: {
    gateway: small({ min: 1, max: 3, cpuUtilization: 70 }),
    'chat-agent': small({ min: 1, max: 2, cpuUtilization: 70 }),
    scheduler: small(1),
    audit: small(1),
    realtime: small({ min: 1, max: 3, cpuUtilization: 70 }),
  },
};

/** A managed cluster (AKS / GKE / OKE) with a managed Kafka (SASL over TLS) and PostgreSQL. */
export const cloud: Values = {
  environment: 'cloud',
  namespace: 'todo',
  images: { repository: 'ghcr.io/OWNER/todo-assistant', tag: 'TAG', pullPolicy: 'IfNotPresent' },
  ingress: { className: 'nginx', host: 'todo.example.com', tlsSecret: 'todo-tls' },
  logLevel: 'info',
  kafka: {
    mode: 'external',
    brokers: ['kafka-0.example.com:9093', 'kafka-1.example.com:9093', 'kafka-2.example.com:9093'],
    saslMechanism: 'SHA-512',
    credentialsSecret: 'kafka-credentials',
    cidrs: ['10.20.0.0/16'],
    port: 9093,
  },
  topics: { partitions: 12, replication: 3, retentionHours: 168, names: topicNames },
  postgres: { mode: 'external', cidrs: ['10.30.0.0/16'], port: 5432 },
  kubernetesApiCidrs: ['0.0.0.0/0'],
  ingressControllerNamespace: 'ingress-nginx',
  apps: {
    gateway: {
      replicas: { min: 2, max: 10, cpuUtilization: 70 },
      cpu: { request: '250m', limit: '2' },
      memory: { request: '256Mi', limit: '768Mi' },
    },
    'chat-agent': {
      replicas: { min: 2, max: 6, cpuUtilization: 70 },
      cpu: { request: '250m', limit: '2' },
      memory: { request: '256Mi', limit: '768Mi' },
    },
    scheduler: {
      replicas: 2,
      cpu: { request: '200m', limit: '1' },
      memory: { request: '256Mi', limit: '512Mi' },
    },
    audit: {
      replicas: 2,
      cpu: { request: '200m', limit: '1' },
      memory: { request: '256Mi', limit: '512Mi' },
    },
    realtime: {
      replicas: { min: 2, max: 10, cpuUtilization: 70 },
      cpu: { request: '250m', limit: '2' },
      memory: { request: '256Mi', limit: '768Mi' },
    },
  },
};

export const VALUES: Record<EnvironmentName, Values> = { minikube, cloud };

/** The most pods a deployment may run: its fixed count or its autoscaler's maximum. */
export function maxReplicas(app: AppValues): number {
  return typeof app.replicas === 'number' ? app.replicas : app.replicas.max;
}
