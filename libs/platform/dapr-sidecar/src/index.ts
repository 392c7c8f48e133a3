export * from './lib/dapr-sidecar';
export * from './lib/dapr-secrets';
