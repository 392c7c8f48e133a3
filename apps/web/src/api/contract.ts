// The wire types of the REST API, taken from the workspace's contract libraries (type-only imports:
// nothing of the server is bundled). A server change that breaks the browser fails the type check.
import type { LoginInput, RegisterInput, sessionSchema, UpdateProfileInput, UserView } from '@todo/accounts';
import type {
  ChatReply,
  ChatRequest,
  ConversationSummary,
  ConversationView,
  ExecutedToolCall,
  InterpretRequest,
  Interpretation,
} from '@todo/assistant-contract';
import type { HistoryEntryView, HistoryPageView } from '@todo/audit-log';
import type { ReminderSnapshot, TaskSnapshot } from '@todo/events';
import type { createTaskSchema, TaskQueryInput, taskPageSchema, updateTaskSchema } from '@todo/tasks';
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

export type User = UserView;
export type Session = z.output<typeof sessionSchema>;
export type TaskPage = z.output<typeof taskPageSchema>;
export type HistoryEntry = HistoryEntryView;
export type HistoryPage = HistoryPageView;

/** The error body every endpoint answers with (`@todo/http`'s ErrorBody; platform libraries are off limits to the browser app). */
export interface ApiErrorBody {
  error: { status: number; code: string; message: string; details?: unknown; request_id?: string };
}
