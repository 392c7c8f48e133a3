import { Injectable } from '@nestjs/common';
import type {
  ChatMessageView,
  ConversationSummary,
  ConversationView,
  ExecutedToolCall,
} from '@todo/assistant-contract';
import { NotFoundError } from '@todo/errors';
import { toStorableJson, toStorableText } from '@todo/validation';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatTurn } from '../engines/chat-engine';
import { ConversationStore, conversationTitle, LISTED_CONVERSATIONS } from './conversation-store';

interface ConversationRow {
  id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
}

interface MessageRow {
  role: 'user' | 'assistant';
  content: string;
  tool_calls: ExecutedToolCall[];
  created_at: Date;
}

const summaryOf = (row: ConversationRow): ConversationSummary => ({
  id: row.id,
  title: row.title,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const messageOf = (row: MessageRow): ChatMessageView => ({
  role: row.role,
  content: row.content,
  tool_calls: row.tool_calls,
  created_at: row.created_at.toISOString(),
});

/**
 * Conversations in PostgreSQL, always scoped to their owner: another user's conversation id is
 * reported as not found, like a task.
 */
@Injectable()
export class PostgresConversationStore extends ConversationStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async open(
    userId: string,
    id: string | undefined,
    firstMessage: string,
    historySize: number,
  ): Promise<{ id: string; history: ChatTurn[] }> {
    if (!id) {
      const newId = randomUUID();
      await this.dataSource.query(`INSERT INTO conversations (id, user_id, title) VALUES ($1, $2, $3)`, [
        newId,
        userId,
        conversationTitle(firstMessage),
      ]);
      return { id: newId, history: [] };
    }
    await this.owned(userId, id);
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT role, content, tool_calls, created_at FROM (
         SELECT id, role, content, tool_calls, created_at FROM conversation_messages
         WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) latest
       ORDER BY id`,
      [id, historySize],
    );
    return { id, history: rows.map(({ role, content, tool_calls }) => ({ role, content, tool_calls })) };
  }

  /** Appends a user message and the reply to it in one transaction. */
  async append(userId: string, id: string, turns: readonly ChatTurn[]): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      // TypeORM answers UPDATE and DELETE with [rows, count].
      const [, count]: [unknown, number] = await tx.query(
        `UPDATE conversations SET updated_at = now() WHERE id = $1 AND user_id = $2`,
        [id, userId],
      );
      if (!count) throw new NotFoundError(`Conversation ${id}`);
      for (const turn of turns)
        await tx.query(
          `INSERT INTO conversation_messages (conversation_id, role, content, tool_calls) VALUES ($1, $2, $3, $4)`,
          // The user's text was checked at the edge; a model's answer and arguments are kept as made storable.
          [id, turn.role, toStorableText(turn.content), toStorableJson(turn.tool_calls)],
        );
    });
  }

  async list(userId: string): Promise<ConversationSummary[]> {
    const rows: ConversationRow[] = await this.dataSource.query(
      `SELECT id, title, created_at, updated_at FROM conversations
       WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2`,
      [userId, LISTED_CONVERSATIONS],
    );
    return rows.map(summaryOf);
  }

  async get(userId: string, id: string): Promise<ConversationView> {
    const conversation = await this.owned(userId, id);
    const messages: MessageRow[] = await this.dataSource.query(
      `SELECT role, content, tool_calls, created_at FROM conversation_messages
       WHERE conversation_id = $1 ORDER BY id`,
      [id],
    );
    return { ...summaryOf(conversation), messages: messages.map(messageOf) };
  }

  async delete(userId: string, id: string): Promise<void> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM conversations WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    if (!count) throw new NotFoundError(`Conversation ${id}`);
  }

  private async owned(userId: string, id: string): Promise<ConversationRow> {
    const [row]: ConversationRow[] = await this.dataSource.query(
      `SELECT id, title, created_at, updated_at FROM conversations WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    if (!row) throw new NotFoundError(`Conversation ${id}`);
    return row;
  }
}
