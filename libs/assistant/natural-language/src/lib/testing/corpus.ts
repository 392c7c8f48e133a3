import type { ToolCall } from '@todo/assistant-contract';
import { readFileSync } from 'node:fs';

/**
 * A corpus line (`nl-corpus.jsonl`): a message, the user's wall clock and zone, and the expected calls.
 * `question: true` marks a message that must be answered with a question (and no calls).
 */
export interface CorpusCase {
  readonly say: string;
  readonly now: string;
  readonly tz: string;
  readonly calls: ToolCall[];
  readonly question?: boolean;
  /** 1-based line in the file, for failure messages. */
  readonly line: number;
}

export function readCorpus(path: string): CorpusCase[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter(({ text }) => text.length > 0)
    .map(({ text, line }) => ({ ...(JSON.parse(text) as Omit<CorpusCase, 'line'>), line }));
}
