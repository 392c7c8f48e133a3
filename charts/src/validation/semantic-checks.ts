import * as config from '@todo/config';
import { workspaceRoot } from '@todo/deployment';
import { EVENT_CATALOG, type Topic } from '@todo/events';
import { HealthController } from '@todo/health';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZodType } from 'zod';
import { DEPLOYABLES, type Deployable } from '../deployables';
import type { Manifest } from '../manifests';
import type { Values } from '../values';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  command?: string[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}
interface Probe {
  httpGet?: { path: string; port: number | string };
}
interface PodTemplate {
  metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: { containers: Container[] };
}

const podTemplate = (object: Manifest) => (object.spec as { template: PodTemplate }).template;
const workloads = (objects: Manifest[]) =>
  objects.filter((object) => ['Deployment', 'Job'].includes(object.kind));
const appIdOf = (deployment: Manifest) => podTemplate(deployment).metadata?.annotations?.['dapr.io/app-id'];

/**
 * Variables whose values are secrets: they must come from a Secret, never from the manifests.
 * A sample value of the right form stands in for each when the environment is parsed.
 */
export const SECRET_SAMPLES: Record<string, string> = {
  DATABASE_URL: 'postgres://todo:sample@postgres.example:5432/todo',
  JWT_SECRET: 'a-sample-signing-key-of-at-least-32-characters',
  OPENAI_API_KEY: 'sk-sample',
  KAFKA_SASL_PASSWORD: 'sample',
  VAPID_PRIVATE_KEY: 'sample',
};

/** What the container's process sees, secrets replaced by samples: ConfigMaps first, then `env`. */
export function containerEnvironment(objects: Manifest[], container: Container): Record<string, string> {
  const configMaps = objects.filter((object) => object.kind === 'ConfigMap');
  const fromConfigMaps = (container.envFrom ?? []).map((source) => {
    const configMap = configMaps.find((each) => each.metadata.name === source.configMapRef?.name);
    if (!configMap)
      throw new Error(`${container.name}: ConfigMap ${source.configMapRef?.name} is not in the manifests`);
    return configMap['data'] as Record<string, string>;
  });
  const direct = (container.env ?? []).flatMap((variable): [string, string][] => {
    if (variable.value !== undefined) return [[variable.name, variable.value]];
    const sample = SECRET_SAMPLES[variable.name];
    return sample ? [[variable.name, sample]] : [];
  });
  return Object.assign({}, ...fromConfigMaps, Object.fromEntries(direct));
}

/** The schema an app's main.ts parses its environment with (`parseEnv(<schema>)`), from @todo/config. */
export function configSchemaOf(deployable: Deployable): ZodType {
  const main = readFileSync(join(workspaceRoot, deployable.root, 'src', 'main.ts'), 'utf8');
  const name = /parseEnv\((\w+)[,)]/.exec(main)?.[1];
  const schema = name ? (config as Record<string, unknown>)[name] : undefined;
  if (!schema) throw new Error(`${deployable.root}/src/main.ts: no parseEnv(<schema of @todo/config>) found`);
  return schema as ZodType;
}

const deployableOfImage = (image: string) => DEPLOYABLES.find((each) => image.includes(`/${each.project}:`));

/** Each app's (and the migration Job's) environment passes the schema its main.ts validates at boot. */
export function environmentProblems(objects: Manifest[]): string[] {
  return workspaceManifests(objects).flatMap(({ object, container, deployable }) => {
    try {
      config.parseEnv(configSchemaOf(deployable), containerEnvironment(objects, container));
      return [];
    } catch (error) {
      return [`${object.kind}/${object.metadata.name}: ${error instanceof Error ? error.message : error}`];
    }
  });
}

/** A secret's value never appears in the manifests: literal values of secret variables are refused. */
export function inlineSecretProblems(objects: Manifest[]): string[] {
  return workspaceManifests(objects).flatMap(({ object, container }) => {
    const configMapData = objects
      .filter((each) => each.kind === 'ConfigMap')
      .flatMap((each) => Object.keys((each['data'] as Record<string, string>) ?? {}));
    const literal = [
      ...(container.env ?? [])
        .filter((variable) => variable.value !== undefined)
        .map((variable) => variable.name),
      ...configMapData,
    ];
    return literal
      .filter((name) => name in SECRET_SAMPLES)
      .map(
        (name) => `${object.kind}/${object.metadata.name}: ${name} must come from a Secret (secretKeyRef)`,
      );
  });
}

function workspaceManifests(objects: Manifest[]) {
  return workloads(objects).flatMap((object) =>
    podTemplate(object).spec.containers.map((container) => {
      const deployable = deployableOfImage(container.image);
      if (!deployable)
        throw new Error(
          `${object.kind}/${object.metadata.name}: ${container.image} is no deployable's image`,
        );
      return { object, container, deployable };
    }),
  );
}

/** The paths HealthController serves (its `@Controller` and `@Get` paths, as Nest registers them). */
export function healthRoutes(): string[] {
  const base = Reflect.getMetadata('path', HealthController) as string;
  return Object.getOwnPropertyNames(HealthController.prototype)
    .map((name) => HealthController.prototype[name as keyof HealthController] as unknown as object)
    .filter((handler) => Reflect.hasOwnMetadata('method', handler)) // a route handler (@Get …)
    .map((handler) => `/${base}/${Reflect.getOwnMetadata('path', handler)}`);
}

/** Probes use routes the app serves, on the port it listens on (`PORT`), which the container declares. */
export function probeProblems(objects: Manifest[]): string[] {
  const routes = healthRoutes();
  return workloads(objects)
    .filter((object) => object.kind === 'Deployment')
    .flatMap((object) =>
      podTemplate(object).spec.containers.flatMap((container) => {
        const port = Number(containerEnvironment(objects, container)['PORT']);
        const probes = {
          liveness: container.livenessProbe,
          readiness: container.readinessProbe,
          startup: container.startupProbe,
        };
        return Object.entries(probes).flatMap(([kind, probe]) => {
          const where = `${object.metadata.name} ${kind} probe`;
          if (!probe?.httpGet) return [`${where}: missing (an HTTP probe on a health route is expected)`];
          const problems: string[] = [];
          if (!routes.includes(probe.httpGet.path))
            problems.push(`${where}: ${probe.httpGet.path} is not a route of the app (${routes.join(', ')})`);
          const probePort =
            typeof probe.httpGet.port === 'string'
              ? container.ports?.find((each) => each.name === probe.httpGet?.port)?.containerPort
              : probe.httpGet.port;
          if (probePort !== port)
            problems.push(`${where}: port ${probe.httpGet.port}, but the app listens on PORT=${port}`);
          if (!container.ports?.some((each) => each.containerPort === port))
            problems.push(`${object.metadata.name}: the container does not declare port ${port}`);
          return problems;
        });
      }),
    );
}

/**
 * The sidecar calls the app on DAPR_APP_PORT, where it serves Dapr's subscription protocol; an app
 * the gateway reaches by service invocation (CHAT_AGENT_APP_ID) is called on its HTTP port; an app
 * that neither consumes nor is invoked has no app port (daprd is ready only once that port answers).
 */
export function daprPortProblems(objects: Manifest[]): string[] {
  const deployments = workloads(objects).filter((object) => object.kind === 'Deployment');
  const environments = deployments.map((object) =>
    containerEnvironment(objects, podTemplate(object).spec.containers[0]),
  );
  const invoked = new Set(
    environments
      .filter((env) => env['CHAT_AGENT_TRANSPORT'] === 'dapr')
      .map((env) => env['CHAT_AGENT_APP_ID'] ?? 'chat-agent'),
  );
  const consumers = new Set<string>(
    DEPLOYABLES.filter((each) => each.consumes.length).map((each) => each.appId),
  );
  return deployments.flatMap((object, index) => {
    const annotations = podTemplate(object).metadata?.annotations ?? {};
    const env = environments[index];
    const appId = annotations['dapr.io/app-id'];
    const expected = invoked.has(appId)
      ? env['PORT']
      : consumers.has(appId)
        ? env['DAPR_APP_PORT']
        : undefined;
    const problems: string[] = [];
    if (annotations['dapr.io/enabled'] !== 'true') problems.push(`${object.metadata.name}: no Dapr sidecar`);
    if (annotations['dapr.io/app-port'] !== expected)
      problems.push(
        expected
          ? `${object.metadata.name}: dapr.io/app-port ${annotations['dapr.io/app-port']}, the app serves Dapr on ${expected}`
          : `${object.metadata.name}: dapr.io/app-port ${annotations['dapr.io/app-port']}, but the app serves Dapr nothing (no subscriptions, never invoked): the sidecar would wait for that port and never be ready`,
      );
    if (annotations['dapr.io/app-id'] !== object.metadata.name)
      problems.push(`${object.metadata.name}: dapr.io/app-id ${annotations['dapr.io/app-id']}`);
    return problems;
  });
}

/** Most pods each consumer deployment may run: the HPA's maximum, else its replicas. */
function consumerReplicas(objects: Manifest[]): Map<string, number> {
  const autoscalers = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
  return new Map(
    workloads(objects)
      .filter((object) => object.kind === 'Deployment')
      .map((object) => {
        const autoscaler = autoscalers.find(
          (each) =>
            (each.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === object.metadata.name,
        );
        const spec = object.spec as { replicas?: number };
        return [
          appIdOf(object) ?? object.metadata.name,
          (autoscaler?.spec as { maxReplicas?: number })?.maxReplicas ?? spec.replicas ?? 1,
        ];
      }),
  );
}

/**
 * Every topic a deployment consumes has at least as many partitions as that deployment may run pods
 * (in-cluster: the KafkaTopic objects; external brokers: the partitions the values ask for).
 */
export function partitionProblems(objects: Manifest[], values: Values): string[] {
  const replicas = consumerReplicas(objects);
  const topics = objects.filter((object) => object.kind === 'KafkaTopic');
  const partitionsOf = (topic: Topic) =>
    values.kafka.mode === 'strimzi'
      ? ((topics.find((object) => object.metadata.name === topic)?.spec as { partitions?: number })
          ?.partitions ?? 0)
      : values.topics.partitions;
  return DEPLOYABLES.flatMap((deployable) =>
    deployable.consumes.flatMap((topic) => {
      const most = replicas.get(deployable.appId) ?? 0;
      const partitions = partitionsOf(topic);
      return partitions >= most
        ? []
        : [`${topic}: ${partitions} partitions, but ${deployable.appId} may run ${most} consumers`];
    }),
  ).concat(
    values.kafka.mode === 'strimzi'
      ? values.topics.names
          .flatMap((topic) => [topic, `${topic}.dlq`])
          .filter((topic) => !topics.some((object) => object.metadata.name === topic))
          .map((topic) => `${topic}: no KafkaTopic`)
      : [],
  );
}

/** Nx projects that CI builds an image of (a `container` target, as `nx affected -t container` runs). */
export function projectsWithImages(): string[] {
  return readdirSync(join(workspaceRoot, 'apps'))
    .map((folder) => join(workspaceRoot, 'apps', folder, 'project.json'))
    .filter(existsSync)
    .map(
      (path) => JSON.parse(readFileSync(path, 'utf8')) as { name: string; targets?: Record<string, unknown> },
    )
    .filter((project) => project.targets?.['container'])
    .map((project) => project.name);
}

/** Every workspace image is `<repository>/<project>:<tag>` of a project CI builds an image of. */
export function imageProblems(objects: Manifest[], values: Values): string[] {
  const built = projectsWithImages();
  return workloads(objects).flatMap((object) =>
    podTemplate(object).spec.containers.flatMap((container) => {
      const match = new RegExp(
        `^${values.images.repository.replace(/[.]/g, '\\.')}/([\\w-]+):${values.images.tag}$`,
      ).exec(container.image);
      return match && built.includes(match[1])
        ? []
        : [
            `${object.kind}/${object.metadata.name}: ${container.image} is not an image CI builds (${built.join(', ')})`,
          ];
    }),
  );
}

/**
 * The topics an app's event handlers subscribe to, read from the source: the `@EventPattern` events of
 * the libraries its main.ts imports, when it starts its consumers (`startEventConsumers`).
 */
export function consumedTopicsInSource(deployable: Deployable): Topic[] {
  const main = readFileSync(join(workspaceRoot, deployable.root, 'src', 'main.ts'), 'utf8');
  if (!main.includes('startEventConsumers')) return [];
  const paths = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')).compilerOptions
    .paths as Record<string, string[]>;
  const libraries = [...main.matchAll(/from '(@todo\/[\w/-]+)'/g)].map((match) =>
    join(workspaceRoot, paths[match[1]][0], '..'),
  );
  const events = libraries.flatMap((folder) =>
    sourceFiles(folder).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^\s*@EventPattern\('([\w.]+)'/gm)].map((match) => match[1]),
    ),
  );
  const topics = events.map((event) => EVENT_CATALOG[event as keyof typeof EVENT_CATALOG].topic);
  return [...new Set(topics)].sort();
}

/** Production sources of a library (no tests, no test-support folders). */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter(
      (file) =>
        file.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(file) && !file.split('/').includes('testing'),
    )
    .map((file) => join(folder, file));
}

export function allProblems(objects: Manifest[], values: Values): string[] {
  return [
    ...environmentProblems(objects),
    ...inlineSecretProblems(objects),
    ...probeProblems(objects),
    ...daprPortProblems(objects),
    ...partitionProblems(objects, values),
    ...imageProblems(objects, values),
  ];
}
