import { Yaml } from 'cdk8s';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STAGES, todoApp } from './todo-charts';
import type { Values } from './values';

/** A Kubernetes object as it is applied. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface ManifestFile {
  /** `00-namespace.yaml` …: `kubectl apply -f <folder>` applies them in this order. */
  name: string;
  objects: Manifest[];
}

/** The manifests of one environment, one file per stage. */
export function renderManifests(values: Values): ManifestFile[] {
  const app = todoApp(values);
  return app.charts.map((chart, index) => ({
    name: `${STAGES[index]}.yaml`,
    objects: chart.toJson() as Manifest[],
  }));
}

/** What `kubectl apply -k` reads: the same files in the same order. */
export function kustomization(files: ManifestFile[]): string {
  return Yaml.stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files.map((file) => file.name),
  });
}

/** The files as written to disk, by name (the manifests and kustomization.yaml). */
export function manifestTexts(files: ManifestFile[]): Record<string, string> {
  return {
    ...Object.fromEntries(files.map((file) => [file.name, Yaml.stringify(...file.objects)])),
    'kustomization.yaml': kustomization(files),
  };
}

/** Replaces `folder` with the environment's manifests. */
export function writeManifests(folder: string, files: ManifestFile[]): string[] {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const texts = manifestTexts(files);
  for (const [name, text] of Object.entries(texts)) writeFileSync(join(folder, name), text);
  return Object.keys(texts).map((name) => join(folder, name));
}
