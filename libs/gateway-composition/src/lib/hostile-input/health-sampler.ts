import { Worker } from 'node:worker_threads';

export interface LatencySummary {
  readonly samples: number;
  /** Probes that failed or answered other than 200. */
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Probes slower than the limit: when they started (epoch ms) and how long they took. */
  readonly slow: ReadonlyArray<{ at: number; ms: number }>;
}

/*
 * Runs in its own thread so its timers keep ticking while the app's thread is busy: a stalled event
 * loop then shows up as slow probes instead of as probes that were never sent.
 */
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let stopped = false;
parentPort.once('message', () => { stopped = true; });
(async () => {
  const latencies = [];
  const slow = [];
  let errors = 0;
  while (!stopped) {
    const at = Date.now();
    const started = performance.now();
    try {
      const response = await fetch(workerData.url, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
    } catch {
      errors++;
    }
    const ms = performance.now() - started;
    latencies.push(ms);
    if (ms >= workerData.slowMs) slow.push({ at, ms });
    const wait = workerData.intervalMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  parentPort.postMessage({ latencies, errors, slow });
})();
`;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) : 0;

export function summarizeLatencies(
  latencies: readonly number[],
  errors: number,
  slow: LatencySummary['slow'] = [],
): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    samples: sorted.length,
    errors,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    slow,
  };
}

/**
 * Probes `url` every `intervalMs` from a worker thread until `stop()`, which returns the latencies
 * (and the probes that took `slowMs` or more).
 */
export function startHealthSampler(
  url: string,
  options: { intervalMs: number; slowMs: number },
): { stop: () => Promise<LatencySummary> } {
  const worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { url, ...options } });
  const result = new Promise<{ latencies: number[]; errors: number; slow: LatencySummary['slow'] }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  return {
    stop: async () => {
      worker.postMessage('stop');
      const { latencies, errors, slow } = await result;
      await worker.terminate();
      return summarizeLatencies(latencies, errors, slow);
    },
  };
}
