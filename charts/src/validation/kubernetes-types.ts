// The typings the unknown-field check walks: kubernetes-models' interfaces of each kind the charts
// generate (Kubernetes v1.36), named `I<Kind>`.
export type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
export type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
export type { IJob } from 'kubernetes-models/batch/v1/Job';
export type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
export type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
export type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
export type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
export type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
export type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
export type { INamespace } from 'kubernetes-models/v1/Namespace';
export type { IService } from 'kubernetes-models/v1/Service';
export type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
