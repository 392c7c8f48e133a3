/**
 * `npm run eval:assistant -- --engine offline|llm`: runs the assistant's corpora (single messages and
 * conversations) through an engine and prints exact-match scores, per corpus and class, and the misses.
 * The LLM engine reads OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL like the app does, so any
 * OpenAI-compatible model is measured the same way; nothing is executed, tool calls are only recorded.
 */
import { type ChatEngine, LlmEngine, OfflineEngine } from '@todo/chat';
import { envSchema, llmSettingsOf, parseEnv } from '@todo/config';
import { readConversations, readCorpus } from '@todo/natural-language/testing';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateConversation, evaluateLine, type Outcome, scores } from './evaluate';

const SINGLE = ['nl-corpus.jsonl', 'nl-corpus-extra.jsonl', 'nl-corpus-phrasings.jsonl'];
const CONVERSATIONS = ['nl-corpus-turns.jsonl'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'offline' },
      corpora: { type: 'string', default: 'libs/assistant/natural-language/src/fixtures' },
      misses: { type: 'string', default: '50' },
    },
  });
  const engine = engineNamed(values.engine);
  const folder = resolve(values.corpora);
  const outcomes: Outcome[] = [];
  for (const file of SINGLE)
    for (const line of readCorpus(join(folder, file)))
      outcomes.push(await evaluateLine(engine, basename(file), line));
  for (const file of CONVERSATIONS)
    for (const conversation of readConversations(join(folder, file)))
      outcomes.push(...(await evaluateConversation(engine, basename(file), conversation)));
  report(values.engine, outcomes, Number(values.misses));
}

function engineNamed(name: string): ChatEngine {
  const offline = new OfflineEngine();
  if (name === 'offline') return offline;
  if (name === 'llm')
    return new LlmEngine({ ...llmSettingsOf(parseEnv(envSchema)), fallback: 'none' }, offline, console);
  throw new Error(`--engine must be offline or llm, not "${name}"`);
}

function report(engine: string, outcomes: readonly Outcome[], maxMisses: number): void {
  const { overall, groups } = scores(outcomes);
  const percent = ({ exact, total }: { exact: number; total: number }) =>
    `${((100 * exact) / Math.max(total, 1)).toFixed(1)}%`.padStart(6);
  console.log(`engine: ${engine}\n`);
  console.log(`${'corpus / class'.padEnd(52)} ${'exact'.padStart(9)} ${'rate'.padStart(6)}`);
  for (const group of [...groups, overall])
    console.log(`${group.name.padEnd(52)} ${`${group.exact}/${group.total}`.padStart(9)} ${percent(group)}`);
  const misses = outcomes.filter((each) => !each.exact);
  if (!misses.length) return;
  console.log(`\nmisses (${misses.length}${misses.length > maxMisses ? `, first ${maxMisses}` : ''}):`);
  for (const miss of misses.slice(0, maxMisses))
    console.log(
      `- [${miss.corpus} / ${miss.class}] ${miss.say}\n    expected ${JSON.stringify(miss.expected)}\n    got      ${JSON.stringify(miss.actual)}`,
    );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
