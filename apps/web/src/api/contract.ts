// The wire types of the REST API, taken from the workspace's contract libraries (type-only imports:
// nothing of the server is bundled). A server change that breaks the browser fails the type check.
import type { LoginInput, RegisterInput, UpdateProfileInput } from '@todo/accounts';
import type {
  ChatReply,
  ChatRequest,
  ConversationSummary,
  ConversationView,
  ExecutedToolCall,
  InterpretRequest,
  Interpretation,
} from '@todo/assistant-contract';
import type { ReminderSnapshot, TaskSnapshot } from '@todo/events';
import type { createTaskSchema, TaskQueryInput, updateTaskSchema } from '@todo/tasks';
import type { PushSubscriptionView } from '@todo/web-push/contract';
import type { z } from 'zod';

export type Task = TaskSnapshot;
export type Reminder = ReminderSnapshot;
export type TaskQuery = TaskQueryInput;
export type CreateTask = z.input<typeof createTaskSchema>;
export type UpdateTask = z.input<typeof updateTaskSchema>;
export type ReminderInput = NonNullable<CreateTask['reminders']>[number];
/** `PushSubscription.toJSON()` as the browser gives it, which is what the server takes. */
export type PushSubscriptionInput = PushSubscriptionJSON;
export type { PushSubscriptionView };
export type { ChatReply, ChatRequest, ConversationSummary, ConversationView, ExecutedToolCall };
export type { InterpretRequest, Interpretation, LoginInput, RegisterInput, UpdateProfileInput };

export interface User {
  id: string;
  email: string;
  name: string | null;
  time_zone: string;
}

export interface Session {
  user: User;
  access_token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface HistoryEntry {
  id: string;
  task_id: string;
  task_number: number;
  action: 'created' | 'updated' | 'completed' | 'reopened' | 'deleted' | 'reminded';
  actor: { type: 'user' | 'service'; id: string };
  occurred_at: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** The error body every endpoint answers with. */
export interface ApiErrorBody {
  error: { status: number; code: string; message: string; details?: unknown; request_id?: string };
}
