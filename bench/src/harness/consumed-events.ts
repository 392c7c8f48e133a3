/**
 * Deliveries so far per `consumer/topic`, from the app's `events_consumed_total` (all outcomes: a
 * retried delivery counts each time, so a count above the events published means repeats).
 */
export async function consumedEvents(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^events_consumed_total\{([^}]*)\} (\S+)$/gm)) {
    const consumer = /consumer="([^"]*)"/.exec(match[1])?.[1];
    const topic = /topic="([^"]*)"/.exec(match[1])?.[1];
    const key = `${consumer}/${topic}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(match[2]));
  }
  return counts;
}

export interface ConsumptionTimeline {
  /** When (epoch ms) each key's count first reached `expected[key]`; missing = never. */
  reached: Map<string, number>;
  /** Each key's count at the last sample (relative to `before`). */
  counts: Map<string, number>;
}

/**
 * Samples the app's consumption counters every `everyMs` until every `consumer/topic` in `expected`
 * has reached its count (relative to `before`) or `timeoutMs` passed.
 */
export async function waitForConsumers(options: {
  url: string;
  before: ReadonlyMap<string, number>;
  expected: ReadonlyMap<string, number>;
  everyMs: number;
  timeoutMs: number;
  /** Called after each sample (e.g. to sample something else at the same pace). */
  onSample?: () => Promise<void>;
}): Promise<ConsumptionTimeline> {
  const reached = new Map<string, number>();
  let counts = new Map<string, number>();
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const at = Date.now();
    const now = await consumedEvents(options.url);
    counts = new Map(
      [...options.expected.keys()].map((name) => [
        name,
        (now.get(name) ?? 0) - (options.before.get(name) ?? 0),
      ]),
    );
    for (const [name, want] of options.expected)
      if (!reached.has(name) && (counts.get(name) ?? 0) >= want) reached.set(name, at);
    await options.onSample?.();
    if (reached.size === options.expected.size) break;
    await new Promise((resolve) => setTimeout(resolve, options.everyMs));
  }
  return { reached, counts };
}
