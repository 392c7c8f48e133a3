import { ApiClient } from '@todo/testing';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { mapInBatches } from '../harness/batches';
import { startStandalone } from '../harness/standalone-process';
import type { Measurement, Section } from '../results';
import { latencyOf, summarize } from '../stats';

/** The GraphQL limits set so high that nothing is refused, and no per-request concurrency limit. */
const LIMITS_OFF = {
  GRAPHQL_MAX_DOCUMENT_LENGTH: '1000000',
  GRAPHQL_MAX_ROOT_FIELDS: '1000',
  GRAPHQL_MAX_COST: '10000000',
  GRAPHQL_RESOLVER_CONCURRENCY: '100',
};

const aliases = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

interface Attack {
  name: string;
  /** Sends the abusive request(s) until done; returns the last HTTP status. */
  run: (api: ApiClient, attacker: { token: string; conversation: string }) => Promise<number>;
}

/**
 * One user abuses GraphQL (1,000 aliased pages of tasks; 400 aliased copies of a long conversation;
 * the most expensive operation the limits allow, in a loop) while another user lists their tasks
 * over REST without pause. Once with the limits off, once with the defaults: the other user's
 * latency, the attack's answer and time, and the server's peak RSS (from /proc).
 */
export async function measureGraphqlAbuse(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on. */
  node: string;
  chatTurns: number;
  loopSeconds: number;
}): Promise<Section> {
  const attacks: Attack[] = [
    {
      name: '20 aliases × tasks(limit: 100), in a loop (allowed)',
      run: async (api, { token }) => {
        const query = aliases(20, 'tasks(filter: { limit: 100 }) { items { id title tags due } }');
        const until = performance.now() + options.loopSeconds * 1000;
        let status = 0;
        while (performance.now() < until) status = (await api.graphql(query, {}, token)).status;
        return status;
      },
    },
    {
      name: '1,000 aliases × tasks(limit: 100)',
      run: async (api, { token }) =>
        (await api.graphql(aliases(1000, 'tasks(filter: { limit: 100 }) { items { id } }'), {}, token))
          .status,
    },
    {
      name: `400 aliases × conversation(id) of ${options.chatTurns * 2} messages`,
      run: async (api, { token, conversation }) => {
        const field = `conversation(id: "${conversation}") { messages { role content toolCalls { name arguments result { status message data } } } }`;
        return (await api.graphql(aliases(400, field), {}, token)).status;
      },
    },
  ];
  const rows: Measurement[] = [];
  for (const [config, env] of [
    ['limits off', LIMITS_OFF],
    ['default limits', {}],
  ] as const) {
    const app = await startStandalone({ databaseUrl: options.databaseUrl, node: options.node, env });
    try {
      const api = new ApiClient(app.url);
      const [attacker, victim] = [await api.register(), await api.register()];
      await mapInBatches(Array.from({ length: 100 }), 10, (_, i) =>
        api.request('POST', '/api/v1/tasks', {
          token: attacker.token,
          body: { title: `Task ${i}`, tags: ['work', 'home'], due: '2030-01-01' },
        }),
      );
      await api.request('POST', '/api/v1/tasks', { token: victim.token, body: { title: 'Mine' } });
      const conversation = await longConversation(api, attacker.token, options.chatTurns);
      for (const attack of attacks) {
        const measured = await underAttack(app.pid, api, victim.token, () =>
          attack.run(api, { token: attacker.token, conversation }),
        );
        rows.push({
          scenario: `${config}: ${attack.name}`,
          latency: latencyOf(measured.victim),
          extra: {
            'attack answer': measured.status,
            'attack s': Number((measured.attackMs / 1000).toFixed(1)),
            'peak RSS MB': measured.peakRssMb,
          },
        });
      }
    } finally {
      await app.stop();
    }
  }
  const limited = rows.filter((row) => row.scenario.startsWith('default limits'));
  const worst = Math.max(...limited.map((row) => row.latency.max ?? row.latency.p99));
  return {
    id: 'graphql-abuse',
    title: "GraphQL abuse by one user: another user's GET /tasks latency (ms), the attack, server RSS",
    rows,
    targets: [
      {
        target: "hostile input: one GraphQL request cannot stall another user's REST call (max < 1 s)",
        measured: `max ${worst.toFixed(0)} ms with the default limits`,
        met: worst < 1000,
      },
    ],
  };
}

/** Runs the attack while the victim lists their tasks back to back and /proc is sampled for RSS. */
async function underAttack(pid: number, api: ApiClient, token: string, attack: () => Promise<number>) {
  let peakRssKb = 0;
  const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, rssKb(pid))), 10);
  const latencies: number[] = [];
  let attacking = true;
  const started = performance.now();
  let attackMs = NaN;
  const attacked = attack().finally(() => {
    attacking = false;
    attackMs = performance.now() - started;
  });
  try {
    while (attacking || latencies.length < 20) {
      const sent = performance.now();
      const response = await api.request('GET', '/api/v1/tasks?limit=10', { token });
      if (response.status !== 200) throw new Error(`the victim's list failed: ${response.status}`);
      latencies.push(performance.now() - sent);
    }
    const status = await attacked;
    return {
      status,
      attackMs,
      victim: summarize(latencies),
      peakRssMb: Math.round(peakRssKb / 1024),
    };
  } finally {
    clearInterval(sampler);
  }
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** A conversation of `turns` chat messages (and as many replies), each listing the user's tasks. */
async function longConversation(api: ApiClient, token: string, turns: number): Promise<string> {
  let id: string | undefined;
  for (let turn = 0; turn < turns; turn++) {
    const reply = await api.request('POST', '/api/v1/chat', {
      token,
      body: { message: 'list my tasks tagged work', ...(id && { conversation_id: id }) },
    });
    if (reply.status !== 200) throw new Error(`chat failed: ${reply.status}`);
    id = reply.body.conversation_id;
  }
  return id as string;
}
