// The realtime service's WebSocket protocol v1: message types from `@todo/realtime-contract` (types
// only, so no schema code ships to the browser); the few constants this client needs are mirrored
// here and checked against the contract by realtime-protocol.spec.ts.
export type {
  HelloMessage,
  ReminderMessage,
  ResumedMessage,
  ServerMessage,
  TaskMessage,
} from '@todo/realtime-contract';

export const REALTIME_PROTOCOL = 'todo.realtime.v1';
export const BEARER_PROTOCOL_PREFIX = 'bearer.';
export const REALTIME_PATH = '/realtime';
/** The server refused the credentials: sign in again instead of reconnecting. */
export const UNAUTHORIZED_CLOSE = 4401;
