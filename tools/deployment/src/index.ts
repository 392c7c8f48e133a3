// Helpers shared by the deployment checks (compose) and the Kubernetes charts: reading YAML the way
// the tools do, the workspace root, the image's environment, Dapr resources.
export * from './compose-project';
