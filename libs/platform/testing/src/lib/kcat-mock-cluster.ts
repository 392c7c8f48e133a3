import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * A real-protocol Kafka cluster for tests: librdkafka's mock cluster, started through the `kcat`
 * command line tool (Debian package `kcat`). It listens on loopback on random ports, auto-creates
 * topics with 4 partitions, and implements produce, fetch, consumer groups and committed offsets;
 * it does NOT implement CreateTopics/DeleteTopics/DescribeGroups (kafkajs admin calls fail), a group
 * join takes about 3 s, and an empty fetch is held for the consumer's full `maxWaitTimeInMs`.
 */
export interface KcatMockCluster {
  /** Bootstrap list, `127.0.0.1:port,127.0.0.1:port,…`. */
  readonly brokers: string;
  /**
   * Freezes the whole cluster (SIGSTOP): connections stay open, nothing answers. Returns once every
   * thread of the process is stopped (a signal is delivered asynchronously; a request sent right
   * after `kill` could otherwise still be answered).
   */
  pause(): void;
  /** Unfreezes it (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

let availability: boolean | undefined;

/** Whether `kcat` can be run; prints one loud notice when it cannot (the Kafka tests then skip). */
export function kcatAvailable(): boolean {
  if (availability === undefined) {
    const probe = spawnSync('kcat', ['-V'], { stdio: 'ignore', timeout: 10_000 });
    availability = !probe.error && probe.status === 0;
    if (!availability)
      console.warn(
        '\n*** KAFKA TESTS SKIPPED: kcat is not installed (apt-get install -y kcat). ' +
          'The Kafka transport was NOT tested against a broker. ***\n',
      );
  }
  return availability;
}

const BOOTSTRAP = /replaced with ((?:[\w.-]+:\d+)(?:,[\w.-]+:\d+)*)/;
const LOG_TAIL_CHARS = 8_000;

/** Starts a mock cluster of `brokers` brokers; resolves with its bootstrap list. */
export async function startKcatMockCluster(
  options: { brokers?: number; startTimeoutMs?: number } = {},
): Promise<KcatMockCluster> {
  const child = spawn(
    'kcat',
    // a consumer of a placeholder topic keeps kcat (and the mock cluster inside it) running; -E keeps
    // it alive on non-fatal errors
    [
      '-b',
      'placeholder:1',
      '-C',
      '-t',
      '__hold',
      '-X',
      `test.mock.num.brokers=${options.brokers ?? 3}`,
      '-E',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const brokers = await new Promise<string>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the kcat mock cluster did not start: ${reason}\n--- kcat log ---\n${log}`));
    };
    const timer = setTimeout(
      () => fail(`no bootstrap list within ${options.startTimeoutMs ?? 15_000} ms`),
      options.startTimeoutMs ?? 15_000,
    );
    const onOutput = (chunk: Buffer) => {
      // keep draining the pipes for the whole run (a full pipe would block kcat), keep only a tail
      log = (log + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
      const match = BOOTSTRAP.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`kcat exited (${signal ?? code})`));
  });
  return {
    brokers,
    pause: () => {
      signal(child, 'SIGSTOP');
      if (child.pid) waitUntilStopped(child.pid);
    },
    resume: () => signal(child, 'SIGCONT'),
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal(child, 'SIGCONT');
      signal(child, 'SIGTERM');
      const killer = setTimeout(() => signal(child, 'SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
}

/** Waits (synchronously, up to 2 s) until every thread of `pid` is stopped; Linux only (/proc). */
function waitUntilStopped(pid: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      return; // no /proc (not Linux) or the process is gone
    }
    const stopped = threads.every((thread) => {
      try {
        // state is the field after the parenthesised command name: T = stopped, t = traced
        const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
        return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
      } catch {
        return true; // the thread ended
      }
    });
    if (stopped) return;
    Atomics.wait(pause, 0, 0, 2);
  }
  throw new Error(`the kcat mock cluster (pid ${pid}) did not stop within 2 s of SIGSTOP`);
}
