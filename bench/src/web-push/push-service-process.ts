import { type BrowserPushSubscription, DecryptingPushService } from '@todo/testing';
import { fork } from 'node:child_process';

/**
 * The loopback push service of the web-push scenario, in a process of its own (`main.js
 * --push-service`): a real push service runs elsewhere, so its VAPID checks and decryption must not
 * share the event loop (nor count in the CPU) of the app that pushes. The parent asks over the IPC
 * channel, one question at a time.
 */
type Question =
  | { op: 'subscribe'; applicationServerKey: string }
  | { op: 'received' }
  | { op: 'cpu-mark' }
  | { op: 'report' };

/** A message the push service accepted, as the scenario needs it. */
export interface PushArrival {
  endpoint: string;
  reminderId: string;
  receivedAt: number;
}

export interface PushServiceReport {
  arrivals: PushArrival[];
  refused: number;
  /** CPU of the push service process since `markCpu`, ms. */
  cpuMs: number;
}

/** The child: serves pushes and answers the parent until it disconnects. */
export async function servePushService(): Promise<void> {
  const push = await DecryptingPushService.start();
  let cpuMark = process.cpuUsage();
  const answer = (question: Question): unknown => {
    switch (question.op) {
      case 'subscribe':
        return push.subscribe(question.applicationServerKey);
      case 'received':
        return push.received.length;
      case 'cpu-mark':
        cpuMark = process.cpuUsage();
        return null;
      case 'report': {
        const cpu = process.cpuUsage(cpuMark);
        return {
          arrivals: push.received.map(({ endpoint, payload, receivedAt }) => ({
            endpoint,
            reminderId: (payload as { reminder_id: string }).reminder_id,
            receivedAt,
          })),
          refused: push.refused.length,
          cpuMs: (cpu.user + cpu.system) / 1000,
        } satisfies PushServiceReport;
      }
    }
  };
  process.on('message', (question: Question) => process.send?.(answer(question)));
  process.once('disconnect', () => void push.close());
  process.send?.(push.origin);
}

export interface PushServiceProcess {
  subscribe(applicationServerKey: string): Promise<BrowserPushSubscription>;
  received(): Promise<number>;
  markCpu(): Promise<void>;
  report(): Promise<PushServiceReport>;
  close(): Promise<void>;
}

/** Starts the push service process (on the bench's Node); resolves once it listens. */
export async function startPushServiceProcess(): Promise<PushServiceProcess> {
  const child = fork(process.argv[1], ['--push-service'], {
    execArgv: [],
    env: { PATH: process.env['PATH'] },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextMessage = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (message) => resolve(message as T));
      void exited.then(() => reject(new Error('the push service process exited')));
    });
  const ask = <T>(question: Question) => {
    const answer = nextMessage<T>();
    child.send(question);
    return answer;
  };
  await nextMessage<string>();
  return {
    subscribe: (applicationServerKey) => ask({ op: 'subscribe', applicationServerKey }),
    received: () => ask({ op: 'received' }),
    markCpu: () => ask({ op: 'cpu-mark' }),
    report: () => ask({ op: 'report' }),
    close: async () => {
      child.disconnect();
      await exited;
    },
  };
}
