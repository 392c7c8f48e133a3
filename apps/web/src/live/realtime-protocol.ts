// The realtime service's WebSocket protocol v1 as this client uses it. It mirrors the message types
// of `@todo/realtime-contract` (libs/realtime/contract, arriving with the realtime service); when that
// library is in the workspace, these declarations become type imports from it.
import type { Task } from '../api/contract';
import type { TaskChangeKind } from '../tasks/task-merge';

export const REALTIME_PROTOCOL = 'todo.realtime.v1';
export const BEARER_PROTOCOL_PREFIX = 'bearer.';
export const REALTIME_PATH = '/realtime';
/** The server refused the credentials: sign in again instead of reconnecting. */
export const UNAUTHORIZED_CLOSE = 4401;

export interface HelloMessage {
  type: 'hello';
  user_id: string;
  server_time: string;
  heartbeat_interval_ms: number;
}
export interface TaskMessage {
  type: 'task';
  event_id: string;
  occurred_at: string;
  change: TaskChangeKind;
  task: Task;
}
export interface ReminderMessage {
  type: 'reminder';
  event_id: string;
  occurred_at: string;
  reminder: { id: string; fire_at?: string | null };
  task: { id: string; number: number; title: string; due: string | null; time_zone?: string };
  fired_at: string;
}
export interface ResumedMessage {
  type: 'resumed';
  refetch: boolean;
  replayed: number;
}
export type ServerMessage =
  | HelloMessage
  | TaskMessage
  | ReminderMessage
  | ResumedMessage
  | { type: 'heartbeat' | 'pong'; server_time: string }
  | { type: 'error'; code: string; message: string };
