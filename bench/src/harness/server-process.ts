import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM, then wait for the exit (a graceful shutdown drains what the server still holds). */
  stop(): Promise<void>;
}

/**
 * A server in its own Node process, so the load generator and the server never share an event
 * loop. It must print "running at http://…" once it listens; its other output passes through.
 */
export async function startServerProcess(options: {
  name: string;
  /** The Node.js binary to run (`--node`). */
  node: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}): Promise<ServerProcess> {
  const child = spawn(options.node, options.args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: options.env,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await listeningUrl(child, options.name, exited);
    return {
      url,
      pid: child.pid as number,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function listeningUrl(
  child: ChildProcess,
  name: string,
  exited: Promise<number | null>,
): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const listening = new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      const match = /running at (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1].replace('localhost', '127.0.0.1'));
      else if (line.trim()) process.stdout.write(`  [${name}] ${line}\n`);
    });
  });
  const failed = exited.then((code) =>
    Promise.reject(new Error(`${name} exited (code ${code}) before listening; see its output above`)),
  );
  failed.catch(() => undefined); // only the race below reports it
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`${name} did not listen within 60 s`)), 60_000).unref(),
  );
  return Promise.race([listening, failed, timeout]);
}
