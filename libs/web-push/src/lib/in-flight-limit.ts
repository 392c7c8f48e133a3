/**
 * At most `limit` pieces of work at once; the others wait in arrival order, each until its signal
 * aborts (a push's deadline counts its wait for a place too).
 */
export class InFlightLimit {
  private available: number;
  private readonly waiting = new Set<() => void>();

  constructor(limit: number) {
    this.available = limit;
  }

  /** Runs `work` once a place is free; rejects with the signal's reason if it aborts before. */
  async run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    await this.enter(signal);
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private enter(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.available > 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admitted = () => {
        signal.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        this.waiting.delete(admitted);
        reject(signal.reason);
      };
      this.waiting.add(admitted);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  /** Hands the place to the longest waiting, or frees it. */
  private leave(): void {
    const [next] = this.waiting;
    if (next) {
      this.waiting.delete(next);
      next();
    } else this.available++;
  }
}
