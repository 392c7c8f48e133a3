import autocannon, { type Request, type Result } from 'autocannon';
import type { Measurement } from '../results';
import { latencyOf, summarize } from '../stats';

export interface LoadOptions {
  /** Names the run in the error thrown when it had non-2xx answers or errors. */
  label: string;
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
  headers?: Record<string, string>;
  /** Each connection cycles through these in order (autocannon request sequence). */
  requests: Request[];
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Runs autocannon and keeps every response time, so p95 (which autocannon does not report) and
 * the other percentiles come from all samples by one method. Any non-2xx answer or error fails
 * the run: a benchmark of errors measures nothing.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        overallRate: options.overallRate,
        headers: options.headers,
        requests: options.requests,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  if (result.non2xx || result.errors)
    throw new Error(`${options.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const stats = summarize(latencies);
  return { requests: stats.count, rps: stats.count / result.duration, ...latencyOf(stats) };
}

/** A report row from a load run. */
export function loadMeasurement(
  scenario: string,
  result: LoadResult,
  extra?: Measurement['extra'],
): Measurement {
  return {
    scenario,
    throughput: result.rps,
    latency: latencyOf(result),
    extra,
  };
}
