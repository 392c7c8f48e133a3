import { execFileSync } from 'node:child_process';
import { UsageError } from '../cli';

/** A Node.js binary the bench starts the app (and its baselines) with. */
export interface NodeRuntime {
  /** Absolute path of the binary, as the binary itself reports it (`process.execPath`). */
  path: string;
  /** `process.versions.node` of that binary, e.g. `24.21.0`. */
  version: string;
}

/** A release from the npm registry: a major (`22`), or a minor or exact version (`22.23.3`). */
const RELEASE = /^\d+(\.\d+){0,2}$/;

/** Printed by the probed binary: its own path and version, one line each. */
const PROBE = 'process.execPath + "\\n" + process.versions.node';

/**
 * The command that makes the binary named by `spec` print {@link PROBE}: a release is fetched from
 * the npm registry with `npx -y node@<release>` (cached in npm's cache after the first time; the
 * package's `bin/node` is the real binary); anything else is a path (or a name on PATH) run as is.
 */
export function probeCommand(spec: string): { file: string; args: string[] } {
  if (!spec.trim()) throw new UsageError('--node needs a Node binary path or a version such as 22');
  return RELEASE.test(spec)
    ? { file: 'npx', args: ['-y', `node@${spec}`, '-p', PROBE] }
    : { file: spec, args: ['-p', PROBE] };
}

/**
 * Resolves `spec` to a binary once, so every process of the run uses the same one (and npx is not
 * asked again for each app start). Fails with a usage error naming the spec when it does not run.
 */
export function resolveNode(spec: string): NodeRuntime {
  const { file, args } = probeCommand(spec);
  let output: string;
  try {
    output = execFileSync(file, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  } catch (error) {
    const reason = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new UsageError(`--node ${spec}: cannot run this Node.js (${file} ${args.join(' ')}): ${reason}`);
  }
  const [path, version] = output.trim().split('\n');
  if (!path || !version)
    throw new UsageError(`--node ${spec}: the binary did not report its path and version`);
  return { path, version };
}

/** The Node.js the bench itself runs on (load generators, socket holders, in-process scenarios). */
export const BENCH_NODE: NodeRuntime = { path: process.execPath, version: process.versions.node };
