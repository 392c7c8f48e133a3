import type { DaprClient } from '@dapr/dapr';
import { Logger } from '@nestjs/common';
import type { ConversationSummary, ConversationView, ExecutedToolCall } from '@todo/assistant-contract';
import { daprSdk, type DaprSidecar, SidecarCallError } from '@todo/dapr-sidecar';
import { NotFoundError, ServiceUnavailableError } from '@todo/errors';
import { toStorableJson, toStorableText } from '@todo/validation';
import { randomUUID } from 'node:crypto';
import type { ChatTurn } from '../engines/chat-engine';
import { ConversationStore, conversationTitle, LISTED_CONVERSATIONS } from './conversation-store';

/** A conversation as one state value: its summary and every message. */
interface StoredConversation extends ConversationSummary {
  messages: StoredMessage[];
}

interface StoredMessage {
  role: 'user' | 'assistant';
  content: string;
  tool_calls: ExecutedToolCall[];
  created_at: string;
}

/** A user's conversation list (the summaries), one state value per user. */
interface StoredIndex {
  items: ConversationSummary[];
}

/** A read value and the ETag it had (none when the key had no value). */
interface Versioned<T> {
  value: T | undefined;
  etag: string | undefined;
}

/** One operation of a state transaction, as the SDK types it. */
type OperationType = NonNullable<Parameters<DaprClient['state']['transaction']>[1]>[number];

/** An item of daprd's bulk get answer: no `data` nor `etag` for a key without a value. */
interface BulkItem {
  key: string;
  data?: unknown;
  etag?: string;
}

/**
 * A write that lost a race with another writer is done again on fresh values, up to this many
 * attempts, after a short random pause (writers that collided do not collide again in step).
 */
const WRITE_ATTEMPTS = 10;
const RETRY_PAUSE_MS = 20;

/**
 * Conversations in a Dapr state store (`CONVERSATION_STORE=dapr`; `state.postgresql` in
 * `dapr/components/statestore.yaml`), through the SDK's `DaprClient.state`:
 *
 * - Keys are per user: `user-<user id>-conversation-<id>` holds one conversation with its messages,
 *   `user-<user id>-conversations` the user's list. The user id is the authenticated caller's, so a
 *   conversation id of another user names a key that does not exist: not found, like a task.
 *   (daprd prefixes every key with the app id, so another app's keys are out of reach too.)
 * - Every change is one transaction over the conversation and the list (`POST …/transaction`), with
 *   optimistic concurrency: each key carries the ETag it was read with (`first-write`), a new key
 *   is written only if it has no value yet. A transaction that lost a race fails as a whole (daprd
 *   answers 500 `ERR_STATE_TRANSACTION`, "possible etag mismatch"); it is read and done again.
 * - Reads that need ETags use the bulk get (`POST …/bulk`): the SDK's single get returns the value
 *   without its `ETag` header.
 *
 * A conversation is one value: it holds every message, as the PostgreSQL store does; the list keeps
 * the latest {@link LISTED_CONVERSATIONS} summaries shown, and all of them stay readable by id.
 */
export class DaprConversationStore extends ConversationStore {
  private readonly logger = new Logger(DaprConversationStore.name);

  constructor(
    private readonly sidecar: DaprSidecar,
    private readonly storeName: string,
  ) {
    super();
  }

  async open(
    userId: string,
    id: string | undefined,
    firstMessage: string,
    historySize: number,
  ): Promise<{ id: string; history: ChatTurn[] }> {
    if (id) {
      const conversation = await this.read(userId, id);
      const latest = historySize > 0 ? conversation.messages.slice(-historySize) : [];
      return { id, history: latest.map(({ role, content, tool_calls }) => ({ role, content, tool_calls })) };
    }
    const now = new Date().toISOString();
    const created: StoredConversation = {
      id: randomUUID(),
      title: conversationTitle(firstMessage),
      created_at: now,
      updated_at: now,
      messages: [],
    };
    await this.change(userId, created.id, (_conversation, index) => ({
      conversation: created,
      index: { items: [summaryOf(created), ...(index?.items ?? [])] },
    }));
    return { id: created.id, history: [] };
  }

  async append(userId: string, id: string, turns: readonly ChatTurn[]): Promise<void> {
    await this.change(userId, id, (conversation, index) => {
      if (!conversation) throw new NotFoundError(`Conversation ${id}`);
      const now = new Date().toISOString();
      const updated: StoredConversation = {
        ...conversation,
        updated_at: now,
        messages: [
          ...conversation.messages,
          // The user's text was checked at the edge; a model's answer and arguments are kept as made storable.
          ...turns.map((turn) => ({
            role: turn.role,
            content: toStorableText(turn.content),
            tool_calls: JSON.parse(toStorableJson(turn.tool_calls)) as ExecutedToolCall[],
            created_at: now,
          })),
        ],
      };
      const others = (index?.items ?? []).filter((item) => item.id !== id);
      return { conversation: updated, index: { items: [summaryOf(updated), ...others] } };
    });
  }

  async list(userId: string): Promise<ConversationSummary[]> {
    const index = await this.call('read the conversations', (client) =>
      client.state.get(this.storeName, indexKey(userId)),
    );
    return [...((index as StoredIndex | '' | undefined) || { items: [] }).items]
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || a.id.localeCompare(b.id))
      .slice(0, LISTED_CONVERSATIONS);
  }

  async get(userId: string, id: string): Promise<ConversationView> {
    const { messages, ...summary } = await this.read(userId, id);
    return { ...summary, messages };
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.change(userId, id, (conversation, index) => {
      if (!conversation) throw new NotFoundError(`Conversation ${id}`);
      return { conversation: null, index: { items: (index?.items ?? []).filter((item) => item.id !== id) } };
    });
  }

  private async read(userId: string, id: string): Promise<StoredConversation> {
    const conversation = await this.call('read a conversation', (client) =>
      client.state.get(this.storeName, conversationKey(userId, id)),
    );
    // the SDK answers '' for daprd's 204 (no value)
    if (!conversation) throw new NotFoundError(`Conversation ${id}`);
    return conversation as StoredConversation;
  }

  /**
   * Reads the conversation and the user's list with their ETags, lets `next` say what they become
   * (`conversation: null` deletes it), and writes both in one transaction guarded by those ETags;
   * again on fresh values when another writer came first.
   */
  private async change(
    userId: string,
    id: string,
    next: (
      conversation: StoredConversation | undefined,
      index: StoredIndex | undefined,
    ) => { conversation: StoredConversation | null; index: StoredIndex },
  ): Promise<void> {
    const keys = [conversationKey(userId, id), indexKey(userId)] as const;
    for (let attempt = 1; ; attempt++) {
      const [conversation, index] = await this.readVersioned<[StoredConversation, StoredIndex]>(keys);
      const wanted = next(conversation.value, index.value);
      const operations: OperationType[] = [
        wanted.conversation === null
          ? { operation: 'delete', request: guarded(keys[0], conversation.etag) }
          : {
              operation: 'upsert',
              request: { ...guarded(keys[0], conversation.etag), value: wanted.conversation },
            },
        { operation: 'upsert', request: { ...guarded(keys[1], index.etag), value: wanted.index } },
      ];
      try {
        await this.sidecar.call('save a conversation', (client) =>
          client.state.transaction(this.storeName, operations),
        );
        return;
      } catch (error) {
        if (!lostRace(error) || attempt >= WRITE_ATTEMPTS) throw this.unavailable(error);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_PAUSE_MS));
    }
  }

  private async readVersioned<T extends [unknown, unknown]>(
    keys: readonly [string, string],
  ): Promise<[Versioned<T[0]>, Versioned<T[1]>]> {
    // (the SDK's default parallelism is a function it forgets to call: JSON drops it)
    const items = (await this.call('read a conversation', (client) =>
      client.state.getBulk(this.storeName, [...keys], { parallelism: keys.length, metadata: {} }),
    )) as BulkItem[];
    const versioned = (key: string) => {
      const item = items.find((each) => each.key === key);
      return { value: item?.data as never, etag: item?.etag || undefined };
    };
    return [versioned(keys[0]), versioned(keys[1])];
  }

  /** A sidecar call whose failure is a 503 for the client (logged with the sidecar's answer). */
  private async call<T>(what: string, request: (client: DaprClient) => Promise<T>): Promise<T> {
    try {
      return await this.sidecar.call(what, request);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): Error {
    if (!(error instanceof SidecarCallError)) return error as Error;
    this.logger.warn(error.message);
    return new ServiceUnavailableError(
      'Conversations are not available right now (the state store did not answer); try again shortly',
    );
  }
}

const conversationKey = (userId: string, id: string) => `user-${userId}-conversation-${id}`;
const indexKey = (userId: string) => `user-${userId}-conversations`;

const summaryOf = ({ id, title, created_at, updated_at }: ConversationSummary): ConversationSummary => ({
  id,
  title,
  created_at,
  updated_at,
});

/**
 * A transaction request that succeeds only on the value read: with its ETag, or, for a key that
 * had none, only while it still has none (`first-write` without ETag). daprd decodes `etag` as a
 * string; the SDK's type says `{ value }`, which daprd would refuse as a malformed request.
 */
function guarded(key: string, etag: string | undefined): OperationType['request'] {
  const { StateConcurrencyEnum, StateConsistencyEnum } = daprSdk();
  return {
    key,
    ...(etag ? { etag: etag as unknown as OperationType['request']['etag'] } : {}),
    options: {
      concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE,
      consistency: StateConsistencyEnum.CONSISTENCY_STRONG,
    },
  };
}

/** daprd's answer when a guarded write found another value: 409 for a save, 500 for a transaction. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof SidecarCallError &&
    (error.status === 409 || error.status === 500) &&
    /etag/i.test(error.body)
  );
}
