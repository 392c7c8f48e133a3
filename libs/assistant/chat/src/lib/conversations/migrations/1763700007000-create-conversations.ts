import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat conversations and their messages, owned by a user (gone with the account). A message keeps
 * the tool calls that answered it, with their outcomes, so a conversation can be read back as it was.
 */
export class CreateConversations1763700007000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversations (
        id         uuid PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title      text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX conversations_by_user ON conversations (user_id, updated_at DESC, id)`);
    await db.query(`
      CREATE TABLE conversation_messages (
        id              bigserial PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role            text NOT NULL CHECK (role IN ('user', 'assistant')),
        content         text NOT NULL,
        tool_calls      jsonb NOT NULL DEFAULT '[]',
        created_at      timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX conversation_messages_in_order ON conversation_messages (conversation_id, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE conversation_messages`);
    await db.query(`DROP TABLE conversations`);
  }
}
