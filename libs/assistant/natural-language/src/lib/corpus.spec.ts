import { parseToolCall } from '@todo/assistant-contract';
import { join } from 'node:path';
import { interpret } from './interpret';
import { type CorpusCase, readCorpus } from './testing/corpus';

/**
 * Every line of the shared corpus (NL-CONVENTIONS examples) and of our own, harder one must come out
 * exactly: the same calls with the same key sets (toStrictEqual: no undefined-valued keys), or a question
 * where the line says `"question": true`.
 */
const CORPORA = ['nl-corpus.jsonl', 'nl-corpus-extra.jsonl'];

describe.each(CORPORA)('%s', (file) => {
  const cases = readCorpus(join(__dirname, '../fixtures', file));
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
      const interpretation = interpret(line.say, { now: line.now, timeZone: line.tz });
      if (line.question) {
        expect(interpretation.tool_calls).toEqual([]);
        expect(interpretation.question).toEqual(expect.stringMatching(/\S/));
      } else {
        expect(interpretation).toStrictEqual({ tool_calls: line.calls });
      }
      passed++;
    },
  );
});
