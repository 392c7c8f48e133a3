import { load, YAML11_SCHEMA } from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { parseEnv } from 'node:util';

/** The folder holding nx.json above this file (also from a bundle in dist/, which the charts build). */
function findWorkspaceRoot(from: string): string {
  for (let folder = from; folder !== dirname(folder); folder = dirname(folder))
    if (existsSync(join(folder, 'nx.json'))) return folder;
  throw new Error(`no nx.json above ${from}`);
}

export const workspaceRoot = findWorkspaceRoot(__dirname);

/** The parts of a Compose service these checks read. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  command?: string | string[];
  environment?: Record<string, string>;
  network_mode?: string;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  read_only?: boolean;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** A Dapr resource (Component, Configuration, Resiliency) as read from a YAML file. */
export interface DaprResource {
  kind: string;
  file: string;
  metadata: { name: string };
  spec: Record<string, unknown> & { type?: string; metadata?: { name: string; value?: string }[] };
  auth?: { secretStore: string };
  scopes?: string[];
}

/** YAML as Compose reads it: YAML 1.1 merge keys (`<<: *anchor`) resolved. */
export function readYaml(path: string): unknown {
  return load(readFileSync(path, 'utf8'), { schema: YAML11_SCHEMA });
}

/** The variables of `.env.example`, as `docker compose` would read them from a `.env` copy. */
export function exampleVariables(): Record<string, string> {
  return parseEnv(readFileSync(join(workspaceRoot, '.env.example'), 'utf8')) as Record<string, string>;
}

const REFERENCE = /\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g;

/**
 * Compose's interpolation: `${NAME}`, `${NAME:-default}` / `${NAME-default}`, `${NAME:?error}` /
 * `${NAME?error}` (the colon forms also treat an empty value as unset), `$$` for a literal `$`.
 */
export function interpolate(value: unknown, variables: Record<string, string>): unknown {
  if (typeof value === 'string')
    return value
      .replace(REFERENCE, (_match, name: string, operator: string | undefined, operand: string) => {
        const current = variables[name];
        const unset = current === undefined || (operator?.startsWith(':') && current === '');
        if (operator?.endsWith('?') && unset) throw new Error(`\${${name}} is required: ${operand}`);
        if (operator?.endsWith('-') && unset) return operand;
        return current ?? '';
      })
      .replace(/\$\$/g, '$');
  if (Array.isArray(value)) return value.map((item) => interpolate(item, variables));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, variables)]),
    );
  return value;
}

/** docker-compose.yml after interpolation with the given variables (default: `.env.example`). */
export function loadCompose(variables = exampleVariables()): ComposeFile {
  return interpolate(readYaml(join(workspaceRoot, 'docker-compose.yml')), variables) as ComposeFile;
}

/** The words of a service's command (Compose splits a string command at spaces; no quoting here). */
export function commandWords(command: string | string[] = []): string[] {
  return typeof command === 'string' ? command.split(/\s+/).filter(Boolean) : command;
}

/** `--name value` pairs of a command line; repeated flags keep every value. */
export function commandFlags(command: string | string[] = []): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const words = commandWords(command);
  words.forEach((word, index) => {
    const value = words[index + 1];
    if (word.startsWith('--') && value !== undefined && !value.startsWith('--'))
      flags.set(word.slice(2), [...(flags.get(word.slice(2)) ?? []), value]);
  });
  return flags;
}

/** The environment an image sets for its processes (`ENV a=b c=d` lines of the Dockerfile). */
export function dockerfileEnvironment(dockerfile: string): Record<string, string> {
  const text = readFileSync(join(workspaceRoot, dockerfile), 'utf8');
  const assignments = [...text.matchAll(/^ENV (.+)$/gm)].flatMap((line) => line[1].split(/\s+/));
  return Object.fromEntries(assignments.map((pair) => pair.split('=', 2) as [string, string]));
}

/**
 * The Dapr resources a sidecar loads: every YAML file directly in each `--resources-path` (not in
 * sub-folders, as daprd reads them), mapped from the container to the workspace through the
 * service's bind mounts.
 */
export function sidecarResources(sidecar: ComposeService): DaprResource[] {
  const paths = commandFlags(sidecar.command).get('resources-path') ?? [];
  return paths.flatMap((path) => {
    const folder = hostPath(sidecar, path);
    return readdirSync(folder)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => ({
        ...(readYaml(join(folder, name)) as DaprResource),
        file: relative(workspaceRoot, join(folder, name)),
      }));
  });
}

/** The workspace path behind a path inside a service's container (its `./host:/container` mounts). */
export function hostPath(service: ComposeService, containerPath: string): string {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (source.startsWith('.') && (containerPath === target || containerPath.startsWith(`${target}/`)))
      return join(workspaceRoot, source, posix.relative(target, containerPath));
  }
  throw new Error(`${containerPath} is not mounted from the workspace`);
}
