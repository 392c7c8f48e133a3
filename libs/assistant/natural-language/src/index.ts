export { interpret } from './lib/interpret';
export type { InterpretContext, Interpretation } from './lib/interpretation';
