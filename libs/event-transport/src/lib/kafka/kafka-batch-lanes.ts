import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Limit } from 'p-limit';

/** One message of a fetched batch, as a handler receives it. */
export interface KafkaDelivery {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  /** Keeps the group membership during long work; throws once a rebalance began. */
  readonly heartbeat: () => Promise<void>;
}

/** Progress of one batch, reported as each message finishes. */
export interface BatchProgress {
  /** A message finished (handled or dead-lettered). */
  finished(delivery: KafkaDelivery): void;
  /** Every message up to and including `offset` finished: it is resolved for the next commit. */
  resolved(topic: string, partition: number, offset: string): void;
}

/**
 * Handles one fetched batch (one partition) by key: the messages of one key one after another in
 * offset order, different keys at once within `slots`. kafkajs commits up to the resolved offset, so
 * only the longest handled prefix of the batch is resolved: a message that has not finished - still
 * running, failed, or never started because the consumer is stopping, the partition was sought, or
 * a rebalance began - is never skipped by a commit; it and everything after it are delivered again
 * (the inbox absorbs the repeats). A failing message stops the batch: no new message starts, the
 * ones in hand finish, then the first error is thrown (kafkajs commits the prefix and fetches again
 * from the failed message). Messages without a key share one lane.
 */
export async function handleBatchByKey(
  payload: EachBatchPayload,
  slots: Limit,
  handle: (delivery: KafkaDelivery) => Promise<void>,
  progress: BatchProgress,
): Promise<void> {
  const { batch, resolveOffset, isRunning, isStale } = payload;
  const { topic, partition, messages } = batch;
  // one heartbeat at a time: kafkajs sends it only once the interval passed, but checks before awaiting
  let beating: Promise<void> | null = null;
  const heartbeat = () => (beating ??= payload.heartbeat().finally(() => (beating = null)));
  const finished = new Array<boolean>(messages.length).fill(false);
  let prefix = 0;
  let failure: { error: unknown } | null = null;
  const mayStart = () => failure === null && isRunning() && !isStale();

  const runLane = async (indexes: number[]) => {
    for (const index of indexes) {
      if (!mayStart()) return;
      const delivery: KafkaDelivery = { topic, partition, message: messages[index], heartbeat };
      try {
        await slots(async () => {
          if (mayStart()) await handle(delivery);
          else throw new Stopped();
        });
        finish(index, delivery);
        // between messages, like kafkajs's own eachMessage loop: throws when a rebalance began
        await heartbeat();
      } catch (error) {
        if (!(error instanceof Stopped)) failure ??= { error };
        return;
      }
    }
  };
  const finish = (index: number, delivery: KafkaDelivery) => {
    finished[index] = true;
    progress.finished(delivery);
    const before = prefix;
    while (prefix < messages.length && finished[prefix]) prefix++;
    if (prefix === before) return;
    const offset = messages[prefix - 1].offset;
    resolveOffset(offset);
    progress.resolved(topic, partition, offset);
  };

  await Promise.all([...lanesByKey(messages).values()].map(runLane));
  if (failure) throw (failure as { error: unknown }).error;
}

/** The batch's message indexes grouped by key, each group in offset order. */
function lanesByKey(messages: readonly KafkaMessage[]): Map<string, number[]> {
  const lanes = new Map<string, number[]>();
  messages.forEach((message, index) => {
    const key = message.key ? `k${message.key.toString('latin1')}` : 'no key';
    const lane = lanes.get(key);
    if (lane) lane.push(index);
    else lanes.set(key, [index]);
  });
  return lanes;
}

/** A message whose slot came only after the batch had stopped: it was not started. */
class Stopped extends Error {}
