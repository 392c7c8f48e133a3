import type { ToolCall } from '@todo/assistant-contract';
import { readFileSync } from 'node:fs';
import type { ConversationFocus, FocusTask } from '../focus';

/**
 * A corpus line (`nl-corpus*.jsonl`): a message, the user's wall clock and zone, and the expected calls.
 * `question: true` marks a message that must be answered with a question (and no calls); `class` groups
 * lines by what they exercise (for the engine comparison).
 */
export interface CorpusCase {
  readonly say: string;
  readonly now: string;
  readonly tz: string;
  readonly calls: ToolCall[];
  readonly question?: boolean;
  readonly class?: string;
  /** 1-based line in the file, for failure messages. */
  readonly line: number;
}

/**
 * A conversation (`nl-corpus-turns.jsonl`): turns in order, each a message with its expected calls.
 * What the calls gave back stands in the turn, as the chat would show it: `shown`, the tasks they
 * touched or listed; `asked`, the candidates when the first call came back with a question.
 */
export interface ConversationCase {
  readonly class: string;
  readonly now: string;
  readonly tz: string;
  readonly turns: readonly ConversationTurn[];
  readonly line: number;
}

export interface ConversationTurn {
  readonly say: string;
  readonly now?: string;
  readonly calls: ToolCall[];
  readonly question?: boolean;
  readonly shown?: FocusTask[];
  readonly asked?: FocusTask[];
}

export function readCorpus(path: string): CorpusCase[] {
  return readLines<Omit<CorpusCase, 'line'>>(path);
}

export function readConversations(path: string): ConversationCase[] {
  return readLines<Omit<ConversationCase, 'line'>>(path);
}

/** What a turn leaves the next one to refer to (the chat derives the same from real tool results). */
export function focusAfter(turn: ConversationTurn | undefined): ConversationFocus | undefined {
  if (!turn || turn.question || !turn.calls.length) return undefined;
  const pending = turn.asked ? { call: turn.calls[0], candidates: turn.asked } : undefined;
  return { tasks: turn.shown ?? [], pending };
}

function readLines<T>(path: string): (T & { line: number })[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter(({ text }) => text.length > 0)
    .map(({ text, line }) => ({ ...(JSON.parse(text) as T), line }));
}
