import { BEARER_PROTOCOL_PREFIX, REALTIME_PATH, REALTIME_PROTOCOL } from '@todo/realtime-contract';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { mapInBatches } from '../harness/batches';
import { summarize } from '../stats';

/**
 * The clients of the realtime scenarios, in processes of their own (`main.js --socket-holder`) so
 * that thousands of sockets never share an event loop with the server or with the process that
 * writes and times the changes. A holder opens its sockets, then records each task message of the
 * run it watches for; the parent asks it questions over stdin, one JSON line each way.
 */
export interface HolderConfig {
  url: string;
  /** Socket i authenticates as user i % tokens.length. */
  tokens: string[];
  sockets: number;
  /** Title prefix of the bench's changes to record (see {@link changeTitle}); none: just hold. */
  run?: string;
}

export interface HolderReady {
  open: number;
  /** Opening a socket → its `hello` (handshake, token, account), 200 opening at once. */
  handshake: ReturnType<typeof summarize>;
  perSecond: number;
}

export interface HolderStatus {
  open: number;
  /** Task messages of the run received so far, repeats included. */
  received: number;
}

export interface HolderReport extends HolderStatus {
  /** Per socket: the user index it authenticated as, and the sequence numbers it received. */
  sockets: Array<{ user: number; seqs: number[] }>;
  /** Change sent → message read, ms, one per message received. */
  latencies: number[];
  /** Messages of one user's change that reached a socket of another user. */
  misdirected: number;
  /** Sockets the server closed, by close code. */
  closes: Record<string, number>;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes. */
export const epochMs = () => performance.timeOrigin + performance.now();

/**
 * A change's title carries all a receiver needs to time and check it:
 * `<run> <user index> <sequence> <sent at, epoch ms>`.
 */
export const changeTitle = (run: string, user: number, seq: number, sentAt: number) =>
  `${run} ${user} ${seq} ${sentAt.toFixed(3)}`;

function parseTitle(run: string, title: string) {
  if (!title.startsWith(`${run} `)) return undefined;
  const [user, seq, sentAt] = title
    .slice(run.length + 1)
    .split(' ')
    .map(Number);
  return { user, seq, sentAt };
}

const LINE = 'socket-holder: ';

/** Opens an authenticated socket and resolves on its `hello`. */
function openSocket(url: string, token: string): Promise<WebSocket> {
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

/** The holder process: its configuration is the first stdin line; it runs until SIGTERM. */
export async function holdSockets(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const config = JSON.parse((await lines.next()).value as string) as HolderConfig;
  const reply = (answer: object) => console.log(`${LINE}${JSON.stringify(answer)}`);
  const seqs: number[][] = Array.from({ length: config.sockets }, () => []);
  const latencies: number[] = [];
  const closes: Record<string, number> = {};
  let received = 0;
  let misdirected = 0;

  const handshakes: number[] = [];
  const started = performance.now();
  const sockets = await mapInBatches(Array.from({ length: config.sockets }), 200, async (_, index) => {
    const at = performance.now();
    const socket = await openSocket(config.url, config.tokens[index % config.tokens.length]);
    handshakes.push(performance.now() - at);
    socket.once('close', (code) => (closes[code] = (closes[code] ?? 0) + 1));
    const run = config.run;
    if (run)
      socket.on('message', (data) => {
        const at = epochMs();
        const message = JSON.parse(data.toString()) as { type: string; task?: { title: string } };
        const change = message.type === 'task' && parseTitle(run, message.task?.title ?? '');
        if (!change) return;
        received++;
        latencies.push(at - change.sentAt);
        seqs[index].push(change.seq);
        if (change.user !== index % config.tokens.length) misdirected++;
      });
    return socket;
  });
  const open = () => sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  reply({
    open: open(),
    handshake: summarize(handshakes),
    perSecond: config.sockets / ((performance.now() - started) / 1000),
  } satisfies HolderReady);

  const stopped = new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  void (async () => {
    for (let line = await lines.next(); !line.done; line = await lines.next()) {
      const status: HolderStatus = { open: open(), received };
      if (line.value !== 'report') reply(status);
      else
        reply({
          ...status,
          sockets: seqs.map((list, index) => ({ user: index % config.tokens.length, seqs: list })),
          latencies,
          misdirected,
          closes,
        } satisfies HolderReport);
    }
  })();
  await stopped;
  process.stdin.destroy(); // stdin would keep this process alive
  for (const socket of sockets) socket.terminate();
}

export interface SocketHolder {
  pid: number;
  ready: HolderReady;
  status(): Promise<HolderStatus>;
  report(): Promise<HolderReport>;
  stop(): Promise<void>;
}

/** Starts a holder process; resolves once all its sockets are open. */
export async function startSocketHolder(config: HolderConfig): Promise<SocketHolder> {
  const child = spawn(process.execPath, [process.argv[1], '--socket-holder'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { PATH: process.env['PATH'] },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const answers: string[] = [];
  let notify: (() => void) | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith(LINE)) return;
    answers.push(line.slice(LINE.length));
    notify?.();
  });
  // questions are asked one at a time, so the next answer is the one to this question
  const nextAnswer = <T>() =>
    new Promise<T>((resolve, reject) => {
      const take = () => answers.length > 0 && resolve(JSON.parse(answers.shift() as string) as T);
      notify = take;
      take();
      void exited.then(() => reject(new Error('a socket holder exited')));
    });
  const ask = <T>(question: string) => {
    const answer = nextAnswer<T>();
    child.stdin.write(`${question}\n`);
    return answer;
  };
  const ready = await ask<HolderReady>(JSON.stringify(config));
  return {
    pid: child.pid as number,
    ready,
    status: () => ask<HolderStatus>('status'),
    report: () => ask<HolderReport>('report'),
    stop: async () => {
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
