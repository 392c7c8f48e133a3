import type { Actor } from '@todo/auth';
import { isTimeZone } from '@todo/reminders';
import { z } from 'zod';
import { type ToolCall, wallDateTimeSchema } from './tool-schemas';

/** Who is chatting: the verified actor, and their bearer token for adapters that forward the call. */
export interface ChatCaller {
  readonly actor: Actor;
  readonly bearerToken: string;
}

const message = z
  .string({ message: 'must be text' })
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(4000, { message: 'must be at most 4000 characters' });

export const chatRequestSchema = z.strictObject({
  conversation_id: z.uuid({ message: 'must be a conversation id (uuid)' }).optional(),
  message,
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const interpretRequestSchema = z.strictObject({
  message,
  now: wallDateTimeSchema.optional().describe('Reference wall time in time_zone; default: the server clock'),
  time_zone: z
    .string()
    .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' })
    .optional()
    .describe('Default: your account time zone'),
});
export type InterpretRequest = z.infer<typeof interpretRequestSchema>;

/** What an engine understood, without executing it; a question instead when it is unsure. */
export interface Interpretation {
  readonly tool_calls: ToolCall[];
  readonly question?: string;
}

/** What running one tool call gave: done, a question back (e.g. which of two tasks), or a failure. */
export interface ToolOutcome {
  readonly status: 'done' | 'question' | 'failed';
  /** One friendly sentence for people ("Added #12 Buy groceries — due tomorrow 17:00"). */
  readonly message: string;
  /** Structured result for models and MCP clients (tasks in wall time of the user's zone). */
  readonly data?: unknown;
}

export interface ExecutedToolCall extends ToolCall {
  readonly result: ToolOutcome;
}

export interface ChatReply {
  readonly conversation_id: string;
  readonly response: string;
  readonly tool_calls: ExecutedToolCall[];
}

export interface ChatMessageView {
  readonly role: 'user' | 'assistant';
  readonly content: string;
  readonly tool_calls: ExecutedToolCall[];
  readonly created_at: string;
}

export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface ConversationView extends ConversationSummary {
  readonly messages: ChatMessageView[];
}

/**
 * The chat-agent as the gateway sees it. Adapters: in-process (standalone), plain HTTP and Dapr
 * service invocation (distributed). Every method acts for the caller only.
 */
export abstract class ChatPort {
  abstract send(caller: ChatCaller, request: ChatRequest): Promise<ChatReply>;
  abstract interpret(caller: ChatCaller, request: InterpretRequest): Promise<Interpretation>;
  abstract listConversations(caller: ChatCaller): Promise<ConversationSummary[]>;
  abstract getConversation(caller: ChatCaller, id: string): Promise<ConversationView>;
  abstract deleteConversation(caller: ChatCaller, id: string): Promise<void>;
}
