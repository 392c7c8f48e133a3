import { parseToolCall } from '@todo/assistant-contract';
import { join } from 'node:path';
import { interpret } from './interpret';
import {
  type ConversationCase,
  type CorpusCase,
  focusAfter,
  readConversations,
  readCorpus,
} from './testing/corpus';

/**
 * Every line of the shared corpus (NL-CONVENTIONS examples) and of our own, harder ones must come out
 * exactly: the same calls with the same key sets (toStrictEqual: no undefined-valued keys), or a question
 * where the line says `"question": true`. Conversations check each turn with what the turns before it
 * left in focus.
 */
const CORPORA = ['nl-corpus.jsonl', 'nl-corpus-extra.jsonl', 'nl-corpus-phrasings.jsonl'];
const fixture = (file: string) => join(__dirname, '../fixtures', file);

function expectInterpretation(
  actual: ReturnType<typeof interpret>,
  expected: Pick<CorpusCase, 'calls' | 'question'>,
) {
  if (expected.question) {
    expect(actual.tool_calls).toEqual([]);
    expect(actual.question).toEqual(expect.stringMatching(/\S/));
  } else {
    expect(actual).toStrictEqual({ tool_calls: expected.calls });
  }
}

describe.each(CORPORA)('%s', (file) => {
  const cases = readCorpus(fixture(file));
  let passed = 0;

  afterAll(() => {
    console.log(
      `${file}: ${passed}/${cases.length} lines pass (${((100 * passed) / cases.length).toFixed(1)}%)`,
    );
  });

  it('holds only calls the contract accepts', () => {
    for (const { calls } of cases) for (const call of calls) expect(() => parseToolCall(call)).not.toThrow();
  });

  it.each(cases.map((line) => [`${line.line}: ${line.say} (${line.now} ${line.tz})`, line] as const))(
    '%s',
    (_, line: CorpusCase) => {
      expectInterpretation(interpret(line.say, { now: line.now, timeZone: line.tz }), line);
      passed++;
    },
  );
});

describe('nl-corpus-turns.jsonl', () => {
  const conversations = readConversations(fixture('nl-corpus-turns.jsonl'));

  it('holds at least 40 conversations of two or more turns, with calls the contract accepts', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(40);
    for (const { turns } of conversations) {
      expect(turns.length).toBeGreaterThanOrEqual(2);
      for (const { calls } of turns)
        for (const call of calls) expect(() => parseToolCall(call)).not.toThrow();
    }
  });

  it.each(
    conversations.map((c) => [`${c.line}: ${c.turns.map((turn) => turn.say).join(' → ')}`, c] as const),
  )('%s', (_, conversation: ConversationCase) => {
    conversation.turns.forEach((turn, index) => {
      const context = {
        now: turn.now ?? conversation.now,
        timeZone: conversation.tz,
        focus: focusAfter(conversation.turns[index - 1]),
      };
      expectInterpretation(interpret(turn.say, context), turn);
    });
  });
});
