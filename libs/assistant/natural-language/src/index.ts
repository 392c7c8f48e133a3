export { interpret } from './lib/interpret';
export type { ConversationFocus, FocusTask } from './lib/focus';
export type { InterpretContext, Interpretation } from './lib/interpretation';
