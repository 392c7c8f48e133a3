import type { DestinationStream } from 'pino';

/** A log destination for `startTestApp({ logs })` that keeps every JSON line for assertions. */
export class LogLines implements DestinationStream {
  readonly raw: string[] = [];

  write(line: string): void {
    this.raw.push(line);
  }

  /** Every line parsed (pino writes one JSON object per line). */
  get entries(): Array<Record<string, unknown>> {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Everything logged so far, as one text (to assert what must never appear). */
  get text(): string {
    return this.raw.join('');
  }
}
