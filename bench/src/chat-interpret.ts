import { ALL_MIGRATIONS, ApiModule } from '@todo/api';
import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { interpret } from '@todo/natural-language';
import { startTestApp } from '@todo/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarize } from './stats';

// `npm run bench` runs from the workspace root.
const CORPUS = join(process.cwd(), 'libs/assistant/natural-language/src/fixtures/nl-corpus.jsonl');

/**
 * `POST /api/v1/chat/interpret` (offline engine) through the real HTTP stack, authentication
 * included: one client in sequence for latency, then `concurrency` clients for throughput. The
 * messages cycle through the NL corpus.
 */
export async function measureChatInterpret(load: { requests: number; concurrency: number }) {
  const messages = readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { say: string; now: string; tz: string })
    .map((example) => JSON.stringify({ message: example.say, now: example.now, time_zone: example.tz }));
  const app = await startTestApp({
    imports: [ApiModule, ChatApiModule.with(ChatModule)],
    migrations: ALL_MIGRATIONS,
    env: { LOG_LEVEL: 'error' },
  });
  try {
    const { token } = await app.api.register();
    const url = `${app.api.baseUrl}/api/v1/chat/interpret`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const interpretOne = async (index: number) => {
      const response = await fetch(url, { method: 'POST', headers, body: messages[index % messages.length] });
      if (response.status !== 200) throw new Error(`interpret answered ${response.status}`);
      await response.arrayBuffer();
    };
    // Baseline: the same HTTP stack and authentication with a trivial handler (the caller's profile).
    const profileOne = async () => {
      const response = await fetch(`${app.api.baseUrl}/api/v1/me`, { headers });
      if (response.status !== 200) throw new Error(`/me answered ${response.status}`);
      await response.arrayBuffer();
    };
    for (let index = 0; index < 200; index++) await Promise.all([interpretOne(index), profileOne()]); // warm-up

    const latencies: number[] = [];
    const baseline: number[] = [];
    for (let index = 0; index < load.requests; index++) {
      let started = performance.now();
      await interpretOne(index);
      latencies.push(performance.now() - started);
      started = performance.now();
      await profileOne();
      baseline.push(performance.now() - started);
    }
    // The engine alone, without HTTP: what the parser costs per message.
    const engine: number[] = [];
    for (let index = 0; index < load.requests; index++) {
      const { message, now, time_zone } = JSON.parse(messages[index % messages.length]);
      const started = performance.now();
      interpret(message, { now, timeZone: time_zone });
      engine.push(performance.now() - started);
    }

    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: load.concurrency }, async () => {
        while (next < load.requests) await interpretOne(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      http: summarize(latencies),
      baseline: summarize(baseline),
      engine: summarize(engine),
      throughput: Math.round(load.requests / seconds),
    };
  } finally {
    await app.close();
  }
}
