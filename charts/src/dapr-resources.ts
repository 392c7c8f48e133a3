import { type DaprResource, readYaml, workspaceRoot } from '@todo/deployment';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Values } from './values';

type MetadataItem = { name: string; value?: string; secretKeyRef?: { name: string; key: string } };

/**
 * The Dapr resources of `dapr/` (the ones docker-compose loads), adapted to one cluster: the Kubernetes
 * secret store instead of the compose file store, the environment's brokers and credentials, and on
 * Minikube the state store's connection string from CloudNativePG's app secret. One source for both
 * compose and Kubernetes: a component changed in `dapr/` changes here too.
 */
export function daprResources(values: Values): DaprResource[] {
  const read = (path: string) => ({ ...(readYaml(join(workspaceRoot, path)) as DaprResource), file: path });
  const components = readdirSync(join(workspaceRoot, 'dapr/components'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => read(`dapr/components/${name}`));
  return [
    ...components.map((component) => adaptComponent(component, values)),
    read('dapr/kubernetes/secretstore.yaml'),
    read('dapr/resiliency.yaml'),
    read('dapr/config.yaml'),
  ];
}

function adaptComponent(component: DaprResource, values: Values): DaprResource {
  const items = (component.spec.metadata ?? []) as MetadataItem[];
  if (component.spec.type === 'pubsub.kafka')
    return { ...component, spec: { ...component.spec, metadata: kafkaMetadata(items, values) } };
  if (component.spec.type === 'state.postgresql' && values.postgres.mode === 'cloudnative-pg') {
    const appSecret = { name: `${values.postgres.cluster}-app`, key: 'uri' };
    const metadata = items.map((item) =>
      item.name === 'connectionString' ? { name: item.name, secretKeyRef: appSecret } : item,
    );
    return { ...component, spec: { ...component.spec, metadata } };
  }
  return component;
}

/** Brokers and authentication of the environment; the other settings stay as `dapr/` has them. */
function kafkaMetadata(items: MetadataItem[], values: Values): MetadataItem[] {
  const kafka = values.kafka;
  const connection: MetadataItem[] =
    kafka.mode === 'strimzi'
      ? [
          { name: 'brokers', value: `${kafka.cluster}-kafka-bootstrap.${values.namespace}.svc:9092` },
          { name: 'authType', value: 'none' },
          { name: 'disableTls', value: 'true' },
        ]
      : [
          { name: 'brokers', value: kafka.brokers.join(',') },
          { name: 'authType', value: 'password' },
          { name: 'saslMechanism', value: kafka.saslMechanism },
          { name: 'saslUsername', secretKeyRef: { name: kafka.credentialsSecret, key: 'username' } },
          { name: 'saslPassword', secretKeyRef: { name: kafka.credentialsSecret, key: 'password' } },
          { name: 'disableTls', value: 'false' },
        ];
  const replaced = new Set(connection.map((item) => item.name));
  return [...connection, ...items.filter((item) => !replaced.has(item.name))];
}
