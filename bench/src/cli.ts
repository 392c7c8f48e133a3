import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'rest',
  'open-loop',
  'events',
  'reminders',
  'recurrence',
  'web-push',
  'chat',
  'graphql',
  'realtime',
  'search',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * Scenarios that run inside the bench process (no app process of their own): with `--node` they run
 * in a second bench process on that Node, so that every figure of the report is of the chosen runtime.
 */
export const IN_PROCESS_SCENARIOS: readonly Scenario[] = ['reminders', 'recurrence', 'web-push'];

export const USAGE = `npm run bench -- [--smoke] [--only ${SCENARIOS.join(',')}] [--out DIR]
                      [--node PATH|VERSION | --nodes PATH|VERSION,…]

  --smoke   small data and short runs (under a minute; part of npm test)
  --only    a comma-separated subset of the scenarios (default: all)
  --out     where results go (default: bench/results, or a temporary folder with --smoke)
  --node    the Node.js the app runs on: a binary's path, or a version (22, 24.11) fetched with npx
            (default: the bench's own). The REST baselines run on it too; the load generators and
            socket holders stay on the bench's Node; ${IN_PROCESS_SCENARIOS.join(', ')} run in a bench
            process on it.
  --nodes   several of those, comma-separated (e.g. 20,22,24): the scenarios once per Node, one after
            the other, each on a fresh database, then latest-<mode>-node-versions.md|json comparing them
            (each Node's own report in node-<version>/)`;

/** What one invocation of the bench asks for. */
export type BenchCommand =
  | { kind: 'help' }
  /** Internal: this bundle as the bare REST baseline server (a child process of the bench). */
  | { kind: 'baseline-server' }
  /** Internal: this bundle as a process holding client sockets (a child process of the bench). */
  | { kind: 'socket-holder' }
  /** Internal: this bundle as the loopback push service of the web-push scenario (a child process). */
  | { kind: 'push-service' }
  | {
      kind: 'run';
      smoke: boolean;
      scenarios: Scenario[];
      out?: string;
      /** `--node`: the app's Node, unresolved (a path or a version). */
      node?: string;
      /** `--nodes`: one run per entry, unresolved. */
      nodes?: string[];
    };

export class UsageError extends Error {}

export function parseBenchArgs(args: string[]): BenchCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        smoke: { type: 'boolean', default: false },
        only: { type: 'string', default: SCENARIOS.join(',') },
        out: { type: 'string' },
        node: { type: 'string' },
        nodes: { type: 'string' },
        help: { type: 'boolean', default: false },
        'baseline-server': { type: 'boolean', default: false },
        'socket-holder': { type: 'boolean', default: false },
        'push-service': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values['baseline-server']) return { kind: 'baseline-server' };
  if (values['socket-holder']) return { kind: 'socket-holder' };
  if (values['push-service']) return { kind: 'push-service' };
  if (values.help) return { kind: 'help' };
  const only = commaList(values.only);
  const unknown = only.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(', ')}\n\n${USAGE}`);
  if (!only.length) throw new UsageError(`--only names no scenario\n\n${USAGE}`);
  if (values.node !== undefined && values.nodes !== undefined)
    throw new UsageError(`--node and --nodes exclude each other\n\n${USAGE}`);
  if (values.node !== undefined && !values.node.trim())
    throw new UsageError(`--node needs a Node binary path or a version such as 22\n\n${USAGE}`);
  const nodes = values.nodes === undefined ? undefined : commaList(values.nodes);
  if (nodes && !nodes.length) throw new UsageError(`--nodes needs at least one path or version\n\n${USAGE}`);
  // scenarios run in the bench's fixed order (see main), whatever the order given
  const scenarios = SCENARIOS.filter((scenario) => only.includes(scenario));
  return { kind: 'run', smoke: values.smoke, scenarios, out: values.out, node: values.node, nodes };
}

const commaList = (text: string) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
