/**
 * At most `limit` pieces of work at once; the others wait in arrival order, each until its signal
 * aborts (a push's deadline counts its wait for a place too).
 */
export class InFlightLimit {
  private available: number;
  private readonly waiting = new Set<() => boolean>();

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
      /** Takes the place handed over; refuses it when the deadline passed meanwhile. */
      const admit = () => {
        signal.removeEventListener('abort', aborted);
        if (signal.aborted) {
          reject(signal.reason);
          return false;
        }
        resolve();
        return true;
      };
      const aborted = () => {
        this.waiting.delete(admit);
        reject(signal.reason);
      };
      this.waiting.add(admit);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  /** Hands the place to the longest waiting whose deadline has not passed, or frees it. */
  private leave(): void {
    for (const admit of this.waiting) {
      this.waiting.delete(admit);
      if (admit()) return;
    }
    this.available++;
  }
}
