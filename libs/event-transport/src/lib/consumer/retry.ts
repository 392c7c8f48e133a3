import type { DeliveryOutcome } from './deliver';

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Delay before the second attempt; doubles each time, capped at `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs?: number;
}

type FinalOutcome =
  { status: 'delivered'; attempts: number } | { status: 'dead-letter'; error: Error; attempts: number };

export function backoffDelay(
  policy: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'>,
  failedAttempts: number,
): number {
  return Math.min(policy.backoffMs * 2 ** (failedAttempts - 1), policy.maxBackoffMs ?? 30_000);
}

/**
 * Delivers until success, a `drop`, or `maxAttempts`; waits with exponential backoff in between.
 * Rejects with the signal's reason if it is aborted while waiting (shutdown: the message is then
 * not acknowledged and will be delivered again).
 */
export async function deliverWithRetries(
  attemptDelivery: (attempt: number) => Promise<DeliveryOutcome>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<FinalOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptDelivery(attempt);
    if (outcome.status === 'success') return { status: 'delivered', attempts: attempt };
    if (outcome.status === 'drop' || attempt >= policy.maxAttempts)
      return { status: 'dead-letter', error: outcome.error, attempts: attempt };
    await sleep(backoffDelay(policy, attempt), signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rejects with `message` if `work` has not settled within `ms` (the work itself is not cancelled). */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
