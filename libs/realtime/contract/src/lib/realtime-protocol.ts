import { reminderDueSchema, TASK_CHANGES, taskSnapshotSchema } from '@todo/events/contracts';
import { z } from 'zod';

// The WebSocket protocol of the realtime service (`/realtime`), version 1: what a client (the web UI)
// sends and receives. JSON text frames, one message each, discriminated by `type`.

/**
 * The subprotocol a client offers (and the server selects): the protocol's name and version. A
 * handshake that offers subprotocols but not this one is refused with HTTP 400.
 */
export const REALTIME_PROTOCOL = 'todo.realtime.v1';
/** Prefix of the second offered subprotocol that carries the access token: `bearer.<token>`. */
export const BEARER_PROTOCOL_PREFIX = 'bearer.';
/** Where the socket is served, on the same port as the HTTP API. */
export const REALTIME_PATH = '/realtime';
/** Largest client frame accepted (bytes); a larger one closes the socket with 1009. */
export const MAX_CLIENT_FRAME_BYTES = 4096;

/**
 * Close codes the server uses, with the reason text it sends. 1001/1009 are the standard ones;
 * 4xxx are ours (echoing the HTTP status they resemble).
 */
export const CLOSE_CODES = {
  /** The server is shutting down: reconnect (to any replica) and resume. */
  goingAway: 1001,
  /** A client frame larger than {@link MAX_CLIENT_FRAME_BYTES}. */
  messageTooBig: 1009,
  /** No, a malformed, forged or expired token or ticket; the token expired; the account was deleted. Sign in again. */
  unauthorized: 4401,
  /** The page's `Origin` is not allowed (`CORS_ORIGINS`). */
  forbiddenOrigin: 4403,
  /** The client read too slowly: its send buffer exceeded the bound. Reconnect and resume. */
  tooSlow: 4408,
  /** The user already has the maximum number of open sockets. */
  tooManyConnections: 4409,
  /** The client sent messages faster than allowed. */
  tooManyMessages: 4429,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

const instant = z.iso.datetime({ offset: true });

// ---- server → client ----

/** First message after authentication: who you are, the server's clock, how often heartbeats come. */
export const helloMessageSchema = z.object({
  type: z.literal('hello'),
  protocol: z.literal(REALTIME_PROTOCOL),
  user_id: z.uuid(),
  server_time: instant,
  heartbeat_interval_ms: z.number().int().positive(),
});

/**
 * A task's state after a change (`deleted`: its last state). Apply it only if `task.version` is newer
 * than the one you hold (`isNewerTaskState`): messages can repeat or arrive late.
 */
export const taskMessageSchema = z.object({
  type: z.literal('task'),
  /** The event's id: send the last one you saw in `resume` after reconnecting. */
  event_id: z.string().min(1),
  /** When the change was committed. */
  occurred_at: instant,
  change: z.enum(TASK_CHANGES),
  task: taskSnapshotSchema,
});

/** A reminder came due. May repeat (at-least-once): show it once per `reminder.id` and `fired_at`. */
export const reminderMessageSchema = z.object({
  type: z.literal('reminder'),
  event_id: z.string().min(1),
  occurred_at: instant,
  reminder: reminderDueSchema.shape.reminder,
  task: reminderDueSchema.shape.task,
  fired_at: instant,
});

/**
 * Answer to `resume`. `refetch: false`: every change since the event you named follows (or already
 * came); `refetch: true`: this server cannot tell what you missed, load your tasks again over REST.
 */
export const resumedMessageSchema = z.object({
  type: z.literal('resumed'),
  refetch: z.boolean(),
  /** How many missed messages follow this one. */
  replayed: z.number().int().nonnegative(),
});

/** Sent every `heartbeat_interval_ms`: a client that hears nothing for two intervals should reconnect. */
export const heartbeatMessageSchema = z.object({ type: z.literal('heartbeat'), server_time: instant });

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  id: z.string().optional(),
  server_time: instant,
});

export const REALTIME_ERROR_CODES = ['malformed_json', 'invalid_message', 'binary_frame'] as const;

/** A client frame was not understood; the socket stays open. */
export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(REALTIME_ERROR_CODES),
  message: z.string(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  helloMessageSchema,
  taskMessageSchema,
  reminderMessageSchema,
  resumedMessageSchema,
  heartbeatMessageSchema,
  pongMessageSchema,
  errorMessageSchema,
]);

export type HelloMessage = z.infer<typeof helloMessageSchema>;
export type TaskMessage = z.infer<typeof taskMessageSchema>;
export type ReminderMessage = z.infer<typeof reminderMessageSchema>;
export type ResumedMessage = z.infer<typeof resumedMessageSchema>;
export type HeartbeatMessage = z.infer<typeof heartbeatMessageSchema>;
export type PongMessage = z.infer<typeof pongMessageSchema>;
export type ErrorMessage = z.infer<typeof errorMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;

// ---- client → server ----

/** After (re)connecting: the `event_id` of the last task or reminder message you saw (null: none). */
export const resumeMessageSchema = z.strictObject({
  type: z.literal('resume'),
  last_event_id: z.string().min(1).max(100).nullable(),
});

/** Answered with `pong` (with the same `id`). */
export const pingMessageSchema = z.strictObject({
  type: z.literal('ping'),
  id: z.string().max(100).optional(),
});

export const clientMessageSchema = z.discriminatedUnion('type', [resumeMessageSchema, pingMessageSchema]);

export type ResumeMessage = z.infer<typeof resumeMessageSchema>;
export type PingMessage = z.infer<typeof pingMessageSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export { isNewerTaskState, heldTaskState, type HeldTaskState } from '@todo/events/contracts';
