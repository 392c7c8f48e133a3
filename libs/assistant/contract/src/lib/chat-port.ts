import type { Actor } from '@todo/auth';
import { isTimeZone } from '@todo/reminders';
import { z } from 'zod';
import { toolCallSchema, wallDateTimeSchema } from './tool-schemas';

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
export const interpretationSchema = z
  .object({
    tool_calls: z.array(toolCallSchema),
    question: z.string().optional().describe('Asked instead of guessing; tool_calls is then empty'),
  })
  .meta({ id: 'Interpretation' });
export type Interpretation = z.infer<typeof interpretationSchema>;

/** What running one tool call gave: done, a question back (e.g. which of two tasks), or a failure. */
export const toolOutcomeSchema = z.object({
  status: z.enum(['done', 'question', 'failed']),
  message: z
    .string()
    .describe('One friendly sentence for people ("Added #12 Buy groceries — due tomorrow 17:00")'),
  data: z
    .unknown()
    .optional()
    .describe("Structured result for models and MCP clients (tasks in wall time of the user's zone)"),
});
export type ToolOutcome = z.infer<typeof toolOutcomeSchema>;

export const executedToolCallSchema = toolCallSchema
  .extend({ result: toolOutcomeSchema })
  .meta({ id: 'ExecutedToolCall' });
export type ExecutedToolCall = z.infer<typeof executedToolCallSchema>;

export const chatReplySchema = z
  .object({
    conversation_id: z.uuid(),
    response: z.string().describe("The assistant's answer"),
    tool_calls: z.array(executedToolCallSchema),
  })
  .meta({ id: 'ChatReply' });
export type ChatReply = z.infer<typeof chatReplySchema>;

const chatMessageSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    tool_calls: z.array(executedToolCallSchema),
    created_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessageView = z.infer<typeof chatMessageSchema>;

export const conversationSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ConversationSummary' });
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationSchema = conversationSummarySchema
  .extend({ messages: z.array(chatMessageSchema) })
  .meta({ id: 'Conversation' });
export type ConversationView = z.infer<typeof conversationSchema>;

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
