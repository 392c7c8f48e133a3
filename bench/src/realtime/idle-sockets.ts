import { BEARER_PROTOCOL_PREFIX, REALTIME_PATH, REALTIME_PROTOCOL } from '@todo/realtime-contract';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { mapInBatches } from '../harness/batches';
import { summarize } from '../stats';

/** Opens an authenticated socket and resolves on its `hello`. */
export function openSocket(url: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}${REALTIME_PATH}`, [
    REALTIME_PROTOCOL,
    `${BEARER_PROTOCOL_PREFIX}${token}`,
  ]);
  return new Promise((resolve, reject) => {
    socket.once('message', () => resolve(socket));
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`socket closed with ${code} before hello`)));
  });
}

export interface IdleSocketsReport {
  open: number;
  /** Opening a socket → its `hello` (handshake, token, account), 200 opening at once. */
  handshake: ReturnType<typeof summarize>;
  perSecond: number;
}

const REPORT = 'idle sockets open: ';

/**
 * Run as `main.js --idle-sockets` in its own process (so the heartbeats of 10,000 sockets never
 * delay the measuring client's event loop): opens `IDLE_SOCKETS` sockets over the tokens in
 * `IDLE_TOKENS` (JSON), reports, then holds them until killed.
 */
export async function holdIdleSockets(env: NodeJS.ProcessEnv): Promise<void> {
  const url = env['IDLE_URL'] as string;
  const tokens = JSON.parse(env['IDLE_TOKENS'] as string) as string[];
  const count = Number(env['IDLE_SOCKETS']);
  const handshakes: number[] = [];
  const started = performance.now();
  const sockets = await mapInBatches(Array.from({ length: count }), 200, async (_, i) => {
    const at = performance.now();
    const socket = await openSocket(url, tokens[i % tokens.length]);
    handshakes.push(performance.now() - at);
    return socket;
  });
  const seconds = (performance.now() - started) / 1000;
  const open = () => sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  const report: IdleSocketsReport = {
    open: open(),
    handshake: summarize(handshakes),
    perSecond: count / seconds,
  };
  console.log(`${REPORT}${JSON.stringify(report)}`);
  // answers "how many are still open?" on stdin
  const questions = createInterface({ input: process.stdin });
  questions.on('line', () => console.log(`${REPORT}${JSON.stringify({ ...report, open: open() })}`));
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  questions.close(); // stdin would keep this process alive
  for (const socket of sockets) socket.terminate();
}

/** Starts the idle-socket holder; resolves once all its sockets are open. */
export async function startIdleSockets(url: string, tokens: readonly string[], count: number) {
  const child = spawn(process.execPath, [process.argv[1], '--idle-sockets'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      PATH: process.env['PATH'],
      IDLE_URL: url,
      IDLE_TOKENS: JSON.stringify(tokens),
      IDLE_SOCKETS: String(count),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const reports: IdleSocketsReport[] = [];
  let notify: (() => void) | undefined;
  lines.on('line', (line) => {
    if (!line.startsWith(REPORT)) return;
    reports.push(JSON.parse(line.slice(REPORT.length)) as IdleSocketsReport);
    notify?.();
  });
  const nextReport = () =>
    new Promise<IdleSocketsReport>((resolve, reject) => {
      const seen = reports.length;
      notify = () => reports.length > seen && resolve(reports[reports.length - 1]);
      void exited.then(() => reject(new Error('the idle-socket holder exited')));
    });
  const first = await nextReport();
  return {
    first,
    /** Asks how many sockets are still open. */
    check: () => {
      const answer = nextReport();
      child.stdin.write('\n');
      return answer;
    },
    stop: async () => {
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
