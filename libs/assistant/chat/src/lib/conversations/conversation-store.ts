import type { ConversationSummary, ConversationView } from '@todo/assistant-contract';
import type { ChatTurn } from '../engines/chat-engine';

const TITLE_LENGTH = 80;
/** The most recent conversations a list shows. */
export const LISTED_CONVERSATIONS = 100;

/** A conversation is named after its first message, shortened at a word boundary. */
export function conversationTitle(firstMessage: string): string {
  const text = firstMessage.replace(/\s+/g, ' ').trim();
  if (text.length <= TITLE_LENGTH) return text;
  const cut = text.slice(0, TITLE_LENGTH - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

/**
 * Where the chat-agent keeps conversations (`CONVERSATION_STORE`): PostgreSQL tables, or a Dapr
 * state store. Every call is scoped to its owner: another user's conversation id is reported as not
 * found (`NotFoundError`), like a task.
 */
export abstract class ConversationStore {
  /** The conversation's latest turns (oldest first), or a new conversation when no id is given. */
  abstract open(
    userId: string,
    id: string | undefined,
    firstMessage: string,
    historySize: number,
  ): Promise<{ id: string; history: ChatTurn[] }>;

  /** Appends a user message and the reply to it, both or neither. */
  abstract append(userId: string, id: string, turns: readonly ChatTurn[]): Promise<void>;

  /** The user's most recent conversations, the latest first. */
  abstract list(userId: string): Promise<ConversationSummary[]>;

  abstract get(userId: string, id: string): Promise<ConversationView>;

  abstract delete(userId: string, id: string): Promise<void>;
}
