import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { ChatModule, CHAT_MIGRATIONS } from '@todo/chat';
import { ChatApiModule } from './chat-api.module';
import { readCorpus } from '@todo/natural-language/testing';
import { startTestApp, type TestApp } from '@todo/testing';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const corpus = (name: string) => readCorpus(join(__dirname, '../../../natural-language/src/fixtures', name));

/** The shared NL corpus through `POST /api/v1/chat/interpret`, exactly as NL-CONVENTIONS.md specifies it. */
describe('chat interpret corpus over HTTP', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [ChatApiModule.with(ChatModule)],
      migrations: CHAT_MIGRATIONS,
    });
    ({ token } = await t.api.register());
  });
  afterAll(() => t.close());

  it.each([
    ['the shared corpus (../shared/nl-corpus.jsonl)', 'nl-corpus.jsonl'],
    ['our own corpus (zones, DST, typos, adversarial titles, questions)', 'nl-corpus-extra.jsonl'],
    [
      'phrasings people use (command frames, reminder requests, repeats, several tasks)',
      'nl-corpus-phrasings.jsonl',
    ],
  ])('matches at least 95%% of %s exactly', async (_, file) => {
    const examples = corpus(file);
    const misses: string[] = [];
    for (const example of examples) {
      const response = await t.api.request('POST', '/api/v1/chat/interpret', {
        token,
        body: { message: example.say, now: example.now, time_zone: example.tz },
      });
      expect(response.status).toBe(200);
      const matched = example.question
        ? typeof response.body.question === 'string' && response.body.tool_calls.length === 0
        : isDeepStrictEqual(response.body, { tool_calls: example.calls });
      if (!matched)
        misses.push(
          `${example.say}\n  expected ${JSON.stringify(example.calls)}\n  got      ${JSON.stringify(response.body)}`,
        );
    }
    const rate = (examples.length - misses.length) / examples.length;
    console.log(
      `${file} over HTTP: ${examples.length - misses.length}/${examples.length} exact (${(rate * 100).toFixed(1)}%)`,
    );
    if (misses.length) console.log(misses.join('\n'));
    expect(examples.length).toBeGreaterThanOrEqual(45);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });
});
