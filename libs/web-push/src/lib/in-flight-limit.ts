import pLimit, { type Limit } from 'p-limit';

/**
 * At most `limit` pieces of work at once; the others wait in arrival order (p-limit), each until its
 * signal aborts: a push's deadline counts its wait for a place too. A waiter that gave up keeps its
 * turn in the queue but does nothing with it, so the place passes straight to the next one.
 */
export class InFlightLimit {
  private readonly places: Limit;

  constructor(limit: number) {
    this.places = pLimit(limit);
  }

  /** Runs `work` once a place is free; rejects with the signal's reason if it aborts before. */
  run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const aborted = () => reject(signal.reason);
      signal.addEventListener('abort', aborted, { once: true });
      this.places(() => {
        signal.removeEventListener('abort', aborted);
        return signal.aborted ? undefined : work().then(resolve, reject);
      });
    });
  }
}
