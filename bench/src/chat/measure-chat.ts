import { interpret } from '@todo/natural-language';
import { readCorpus } from '@todo/natural-language/testing';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Request } from 'autocannon';
import { loadMeasurement, runLoad } from '../harness/load';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Section } from '../results';
import { latencyOf, summarize } from '../stats';

// `npm run bench` runs from the workspace root.
const CORPORA = ['nl-corpus.jsonl', 'nl-corpus-extra.jsonl', 'nl-corpus-phrasings.jsonl'].map((file) =>
  join(process.cwd(), 'libs/assistant/natural-language/src/fixtures', file),
);

interface Example {
  message: string;
  now: string;
  time_zone: string;
}

function corpus(): Example[] {
  return CORPORA.flatMap((file) => readCorpus(file)).map((example) => ({
    message: example.say,
    now: example.now,
    time_zone: example.tz,
  }));
}

/**
 * `POST /api/v1/chat/interpret` (offline engine) on the standalone app, the messages cycling through
 * the NL corpora (shared, ours, phrasings): one connection for the latency of a lone user, then `connections` for throughput.
 * Baseline in the same run: `GET /api/v1/me`, the same HTTP stack and authentication, no engine.
 * And the engine alone, in this process, for what parsing itself costs.
 */
export async function measureChat(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on (the engine-alone row runs in the bench's process). */
  node: string;
  connections: number;
  seconds: number;
}): Promise<Section> {
  const examples = corpus();
  const app = await startStandalone({ databaseUrl: options.databaseUrl, node: options.node });
  try {
    const [{ token }] = await registerUsers(app.url, 1);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let next = 0;
    const interpretRequest: Request = {
      method: 'POST',
      path: '/api/v1/chat/interpret',
      setupRequest: (request) => ({ ...request, body: JSON.stringify(examples[next++ % examples.length]) }),
    };
    const load = (requests: Request[], connections: number) =>
      runLoad({
        label: 'chat load',
        url: app.url,
        connections,
        duration: options.seconds,
        headers,
        requests,
      });
    await load([interpretRequest], options.connections); // warm-up
    const alone = await load([interpretRequest], 1);
    const loaded = await load([interpretRequest], options.connections);
    const profile = await load([{ method: 'GET', path: '/api/v1/me' }], 1);
    const parse = (example: Example) =>
      interpret(example.message, { now: example.now, timeZone: example.time_zone });
    for (let pass = 0; pass < 20; pass++) examples.forEach(parse); // warm-up: the server's engine is warm by now
    const engine = summarize(
      Array.from({ length: alone.requests }, (_, index) => {
        const example = examples[index % examples.length];
        const started = performance.now();
        parse(example);
        return performance.now() - started;
      }),
    );
    return {
      id: 'chat',
      title: 'Chat interpret (offline engine, NL corpus messages)',
      rows: [
        loadMeasurement('POST /chat/interpret, 1 connection', alone),
        loadMeasurement(`POST /chat/interpret, ${options.connections} connections`, loaded),
        loadMeasurement(
          'baseline: GET /me, 1 connection (same HTTP + auth, one profile read, no engine)',
          profile,
        ),
        {
          // it runs here: say so when the app's figures are of another Node (`--node`)
          scenario:
            options.node === process.execPath
              ? 'interpret() alone, no HTTP'
              : `interpret() alone, no HTTP, on the bench's Node ${process.versions.node}`,
          latency: latencyOf(engine),
        },
      ],
      targets: [
        {
          target: '/interpret p99 < 5 ms offline (issue 5)',
          measured: `engine ${engine.p99.toFixed(2)} ms; over HTTP, 1 connection ${alone.p99.toFixed(1)} ms (GET /me ${profile.p99.toFixed(1)} ms)`,
          met: alone.p99 < 5,
        },
        {
          target: 'interpret() alone p99 < 1 ms (issue 20)',
          measured: `p99 ${engine.p99.toFixed(2)} ms over ${examples.length} corpus messages`,
          met: engine.p99 < 1,
        },
      ],
    };
  } finally {
    await app.stop();
  }
}
