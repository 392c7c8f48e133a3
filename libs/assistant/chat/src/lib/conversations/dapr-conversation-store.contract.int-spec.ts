/**
 * The Dapr conversation store against `FakeDaprSidecar`'s state API: a double of daprd's documented
 * state API contract (see `FakeDaprStores`), reached through the real `@dapr/dapr` SDK. It proves the
 * requests and the concurrency rules the documentation specifies, nothing about a real daprd or
 * `state.postgresql` beyond them.
 */
import { DaprSidecar } from '@todo/dapr-sidecar';
import { NotFoundError, ServiceUnavailableError } from '@todo/errors';
import { FakeDaprSidecar, freeLoopbackPort } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import type { ChatTurn } from '../engines/chat-engine';
import { DaprConversationStore } from './dapr-conversation-store';

const exchange = (text: string): ChatTurn[] => [
  { role: 'user', content: text, tool_calls: [] },
  { role: 'assistant', content: `re: ${text}`, tool_calls: [] },
];

describe('DaprConversationStore (fake sidecar state API, real SDK)', () => {
  let sidecar: FakeDaprSidecar;
  let store: DaprConversationStore;
  const ann = randomUUID();
  const bob = randomUUID();

  beforeAll(async () => {
    sidecar = await FakeDaprSidecar.start({ appId: 'chat-agent', stateStores: ['statestore'] });
    store = new DaprConversationStore(
      new DaprSidecar({ host: '127.0.0.1', httpPort: sidecar.port }),
      'statestore',
    );
  });
  afterAll(() => sidecar?.stop());
  afterEach(() => sidecar.stores.failState(null));

  it('keeps a conversation: created by its first message, appended to, read back with its history', async () => {
    const { id, history } = await store.open(ann, undefined, 'Add   a task\nto buy milk', 20);
    expect(history).toEqual([]);
    await store.append(ann, id, exchange('first'));
    await store.append(ann, id, exchange('second'));

    expect((await store.open(ann, id, 'ignored', 3)).history.map((turn) => turn.content)).toEqual([
      're: first',
      'second',
      're: second',
    ]);
    const view = await store.get(ann, id);
    expect(view).toMatchObject({ id, title: 'Add a task to buy milk' });
    expect(view.messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'first'],
      ['assistant', 're: first'],
      ['user', 'second'],
      ['assistant', 're: second'],
    ]);
    expect(Date.parse(view.messages[0].created_at)).not.toBeNaN();
    expect((await store.list(ann)).map((summary) => summary.id)).toContain(id);
  });

  it("keeps each user's conversations apart: another user's id is not found, under keys of its own", async () => {
    const { id } = await store.open(ann, undefined, 'private', 20);
    await expect(store.get(bob, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.open(bob, id, 'x', 20)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.append(bob, id, exchange('intrusion'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.delete(bob, id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.list(bob)).toEqual([]);
    expect((await store.get(ann, id)).messages).toEqual([]);
    // every key names its owner (daprd adds the app id in front)
    for (const key of sidecar.stores.stateEntries('statestore').keys())
      expect(key).toMatch(/^user-[0-9a-f-]{36}-/);
  });

  it('lists the latest first and forgets a deleted conversation', async () => {
    const user = randomUUID();
    const older = await store.open(user, undefined, 'older', 20);
    const newer = await store.open(user, undefined, 'newer', 20);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.append(user, older.id, exchange('bump'));
    expect((await store.list(user)).map((summary) => summary.title)).toEqual(['older', 'newer']);

    await store.delete(user, older.id);
    await expect(store.get(user, older.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.delete(user, older.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.list(user)).map((summary) => summary.id)).toEqual([newer.id]);
  });

  it('loses no message when appends to one conversation race (ETags, done again on a lost race)', async () => {
    const { id } = await store.open(ann, undefined, 'busy', 20);
    const before = sidecar.stores.stateRequests.length;
    await Promise.all(
      Array.from({ length: 6 }, (_, turn) => store.append(ann, id, exchange(`turn ${turn}`))),
    );
    const contents = (await store.get(ann, id)).messages.map((message) => message.content);
    expect(contents).toHaveLength(12);
    for (let turn = 0; turn < 6; turn++) expect(contents).toContain(`turn ${turn}`);
    // the race really happened: some transactions were refused for their ETag and done again
    const refused = sidecar.stores.stateRequests
      .slice(before)
      .filter((request) => request.path.endsWith('/transaction') && request.status === 500);
    expect(refused.length).toBeGreaterThan(0);
  });

  it("creates a new user's list once when first conversations race (first-write on a key without value)", async () => {
    const user = randomUUID();
    const created = await Promise.all(
      Array.from({ length: 4 }, (_, index) => store.open(user, undefined, `first ${index}`, 20)),
    );
    expect((await store.list(user)).map((summary) => summary.id).sort()).toEqual(
      created.map((conversation) => conversation.id).sort(),
    );
  });

  it("writes with daprd's transaction contract: string ETags, first-write, all or nothing", async () => {
    const { id } = await store.open(ann, undefined, 'contract', 20);
    const before = sidecar.stores.stateRequests.length;
    await store.append(ann, id, exchange('checked'));
    const [read, write] = sidecar.stores.stateRequests.slice(before);
    expect(read).toMatchObject({ method: 'POST', path: 'statestore/bulk', status: 200 });
    expect(write).toMatchObject({ method: 'POST', path: 'statestore/transaction', status: 204 });
    const operations = (
      write.body as { operations: Array<{ operation: string; request: Record<string, unknown> }> }
    ).operations;
    expect(operations.map((operation) => operation.operation)).toEqual(['upsert', 'upsert']);
    for (const { request } of operations) {
      expect(typeof request['etag']).toBe('string');
      expect(request['options']).toEqual({ concurrency: 'first-write', consistency: 'strong' });
    }
  });

  it('answers 503 when the state store fails, and changes nothing', async () => {
    const { id } = await store.open(ann, undefined, 'outage', 20);
    sidecar.stores.failState(500);
    await expect(store.append(ann, id, exchange('lost?'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(store.list(ann)).rejects.toBeInstanceOf(ServiceUnavailableError);
    sidecar.stores.failState(null);
    expect((await store.get(ann, id)).messages).toEqual([]);
  });

  it('answers 503 for a state store the sidecar does not have, and at once when no sidecar answers', async () => {
    const misnamed = new DaprConversationStore(
      new DaprSidecar({ host: '127.0.0.1', httpPort: sidecar.port }),
      'no-such-store',
    );
    await expect(misnamed.list(ann)).rejects.toBeInstanceOf(ServiceUnavailableError);
    const port = await freeLoopbackPort();
    const absent = new DaprConversationStore(
      new DaprSidecar({ host: '127.0.0.1', httpPort: port }),
      'statestore',
    );
    const started = Date.now();
    await expect(absent.list(ann)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000); // no wait for a sidecar that is not there
  });
});
