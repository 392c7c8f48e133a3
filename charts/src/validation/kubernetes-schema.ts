import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Manifest } from '../manifests';

/**
 * The Kubernetes API's own objects, validated by kubernetes-models 5.1.0 (validators generated from
 * the Kubernetes v1.36 OpenAPI schema): types, enums, formats, required fields.
 */
const MODELS = Object.fromEntries(
  [
    Namespace,
    ConfigMap,
    Service,
    ServiceAccount,
    Deployment,
    Job,
    HorizontalPodAutoscaler,
    PodDisruptionBudget,
    NetworkPolicy,
    Ingress,
    Role,
    RoleBinding,
  ].map((model) => [`${model.apiVersion}/${model.kind}`, model]),
) as unknown as Record<string, new (data: never) => { validate(): void }>;

/** Custom resources, validated against the vendored CRD schemas in charts/schemas (see its README). */
const schemasFolder = join(__dirname, '..', '..', 'schemas');
const ajv = new Ajv({ strict: false, allErrors: true });
const CRD_VALIDATORS = Object.fromEntries(
  readdirSync(schemasFolder)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      // <group>_<kind in lower case>_<version>.json
      const [group, kind, version] = name.replace(/\.json$/, '').split('_');
      return [
        `${group}/${version}/${kind}`,
        ajv.compile(JSON.parse(readFileSync(join(schemasFolder, name), 'utf8'))),
      ];
    }),
);

/** An object of the Kubernetes API itself (not a custom resource). */
export const isBuiltIn = (object: Manifest) => `${object.apiVersion}/${object.kind}` in MODELS;

/** Problems of one object against its schema ([] when valid); an object of no known kind is one. */
export function schemaProblems(object: Manifest): string[] {
  const where = `${object.kind}/${object.metadata.name}`;
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (model) {
    try {
      new model(object as never).validate();
      return [];
    } catch (error) {
      return [`${where}: ${error instanceof Error ? error.message : String(error)}`];
    }
  }
  const validate = CRD_VALIDATORS[`${object.apiVersion}/${object.kind.toLowerCase()}`];
  if (!validate) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    (error) => `${where}: ${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
  );
}
