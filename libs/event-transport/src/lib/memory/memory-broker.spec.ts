import { MAX_IN_HAND_PER_GROUP, MemoryBroker, type MemoryDelivery } from './memory-broker';

const TOPIC = 'task-events';

/** A consumer whose deliveries finish only when the test says so. */
class HeldConsumer {
  readonly started: MemoryDelivery[] = [];
  readonly finished: MemoryDelivery[] = [];
  private readonly releases = new Map<MemoryDelivery, (error?: Error) => void>();

  readonly handle = (delivery: MemoryDelivery) =>
    new Promise<void>((resolve, reject) => {
      this.started.push(delivery);
      this.releases.set(delivery, (error) => {
        this.finished.push(delivery);
        if (error) reject(error);
        else resolve();
      });
    });

  get inHand(): number {
    return this.releases.size;
  }

  /** Finishes the deliveries in hand whose body matches (all by default), then lets the broker react. */
  async release(match: (body: string) => boolean = () => true, error?: Error): Promise<void> {
    for (const [delivery, release] of [...this.releases])
      if (match(delivery.body)) {
        this.releases.delete(delivery);
        release(error);
      }
    await settle();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const message = (key: string, body: string) => ({ topic: TOPIC, key, event: body });
const bodies = (deliveries: MemoryDelivery[]) => deliveries.map((delivery) => JSON.parse(delivery.body));

function brokerWith(...consumers: HeldConsumer[]): MemoryBroker {
  const broker = new MemoryBroker();
  consumers.forEach((consumer, i) => broker.subscribe(TOPIC, `group-${i}`, consumer.handle));
  broker.open();
  return broker;
}

describe('MemoryBroker', () => {
  it('hands over one message per key at a time, in order, while other keys proceed', async () => {
    const consumer = new HeldConsumer();
    const broker = brokerWith(consumer);
    const published = broker.publish([
      message('a', 'a1'),
      message('b', 'b1'),
      message('a', 'a2'),
      message('c', 'c1'),
      message('a', 'a3'),
    ]);
    await settle();
    expect(bodies(consumer.started)).toEqual(['a1', 'b1', 'c1']);

    await consumer.release((body) => body.includes('b1') || body.includes('c1'));
    expect(bodies(consumer.started)).toEqual(['a1', 'b1', 'c1']); // a2 still waits for a1

    await consumer.release((body) => body.includes('a1'));
    expect(bodies(consumer.started)).toEqual(['a1', 'b1', 'c1', 'a2']);
    await consumer.release();
    await consumer.release();
    await published;
    expect(bodies(consumer.finished)).toEqual(['b1', 'c1', 'a1', 'a2', 'a3']);
  });

  it('keeps a key waiting behind a failing message of its own, not the other keys', async () => {
    const consumer = new HeldConsumer();
    const broker = brokerWith(consumer);
    const published = broker
      .publish([message('poison', 'p1'), message('poison', 'p2'), message('k', 'k1')])
      .catch((error: Error) => error.message);
    await settle();
    await consumer.release((body) => body.includes('k1'));
    expect(bodies(consumer.started)).toEqual(['p1', 'k1']);
    await consumer.release((body) => body.includes('p1'), new Error('the handler gave up'));
    expect(bodies(consumer.started)).toEqual(['p1', 'k1', 'p2']);
    await consumer.release();
    // A group that could not handle a message (the server dead-letters before that) fails the publish.
    expect(await published).toBe('the handler gave up');
  });

  it(`has at most ${MAX_IN_HAND_PER_GROUP} messages of distinct keys in hand per group, and all of them at once`, async () => {
    const consumer = new HeldConsumer();
    const broker = brokerWith(consumer);
    const count = MAX_IN_HAND_PER_GROUP + 50;
    const published = broker.publish(Array.from({ length: count }, (_, i) => message(`key ${i}`, `m${i}`)));
    await settle();
    expect(consumer.inHand).toBe(MAX_IN_HAND_PER_GROUP);
    await consumer.release((body) => body === '"m0"' || body === '"m1"');
    expect(consumer.inHand).toBe(MAX_IN_HAND_PER_GROUP);
    while (consumer.inHand) await consumer.release();
    await published;
    expect(consumer.finished).toHaveLength(count);
  });

  it('acknowledges a publish only when every group has handled every message', async () => {
    const fast = new HeldConsumer();
    const slow = new HeldConsumer();
    const broker = brokerWith(fast, slow);
    let acknowledged = false;
    const published = broker.publish([message('a', 'a1'), message('b', 'b1')]).then(() => {
      acknowledged = true;
    });
    await settle();
    await fast.release();
    await slow.release((body) => body.includes('a1'));
    expect(acknowledged).toBe(false);
    await slow.release();
    await published;
    expect(acknowledged).toBe(true);
  });

  it('on stop, rejects what has not started and waits for the messages in hand', async () => {
    const consumer = new HeldConsumer();
    const broker = brokerWith(consumer);
    const published = broker.publish([message('a', 'a1'), message('a', 'a2'), message('b', 'b1')]);
    const outcome = published.then(
      () => 'acknowledged',
      (error: Error) => error.message,
    );
    await settle();
    let stopped = false;
    const stopping = broker.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false); // a1 and b1 are in hand
    await consumer.release();
    await stopping;
    expect(bodies(consumer.started)).toEqual(['a1', 'b1']);
    expect(await outcome).toMatch(/stopped before this message was handled/);
    await expect(broker.publish([message('c', 'c1')])).rejects.toThrow(/shutting down/);
  });
});
