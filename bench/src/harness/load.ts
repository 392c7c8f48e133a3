import autocannon, { type Request, type Result } from 'autocannon';
import type { Measurement } from '../results';
import { summarize } from '../stats';

export interface LoadOptions {
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
  errors: number;
  non2xx: number;
}

/**
 * Runs autocannon and keeps every response time, so p95 (which autocannon does not report) and
 * the other percentiles come from all samples by one method.
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
  const stats = summarize(latencies);
  return {
    requests: stats.count,
    rps: stats.count / result.duration,
    p50: stats.p50,
    p95: stats.p95,
    p99: stats.p99,
    max: stats.max,
    errors: result.errors,
    non2xx: result.non2xx,
  };
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
    latency: { p50: result.p50, p95: result.p95, p99: result.p99, max: result.max },
    extra,
  };
}
