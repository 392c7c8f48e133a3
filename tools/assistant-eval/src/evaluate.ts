import type { ExecutedToolCall, ToolCall } from '@todo/assistant-contract';
import type { ChatEngine, ChatTurn } from '@todo/chat';
import type { ConversationCase, ConversationTurn, CorpusCase } from '@todo/natural-language/testing';
import { isDeepStrictEqual } from 'node:util';

/** One message checked: what the engine called against what the corpus expects. */
export interface Outcome {
  readonly corpus: string;
  readonly class: string;
  readonly say: string;
  readonly expected: readonly ToolCall[] | 'question';
  readonly actual: readonly ToolCall[] | 'question';
  readonly exact: boolean;
}

/**
 * Runs a corpus line through an engine as a chat would, with a tool runner that records the calls and
 * runs nothing: the answer counts as exact when the calls (names, arguments) are the expected ones, or
 * when the engine asked a question (made no call) where the line expects one.
 */
export async function evaluateLine(engine: ChatEngine, corpus: string, line: CorpusCase): Promise<Outcome> {
  const actual = await callsOf(engine, line.say, line.now, line.tz, []);
  return outcome(corpus, line.class ?? classOf(line.calls, line.question), line.say, line, actual);
}

/** Each turn of a conversation, after the turns before it as they should have gone (their expected calls). */
export async function evaluateConversation(
  engine: ChatEngine,
  corpus: string,
  conversation: ConversationCase,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const history: ChatTurn[] = [];
  for (const turn of conversation.turns) {
    const actual = await callsOf(engine, turn.say, turn.now ?? conversation.now, conversation.tz, history);
    outcomes.push(outcome(corpus, conversation.class, turn.say, turn, actual));
    history.push({ role: 'user', content: turn.say, tool_calls: [] }, assistantTurn(turn));
  }
  return outcomes;
}

async function callsOf(
  engine: ChatEngine,
  message: string,
  now: string,
  timeZone: string,
  history: readonly ChatTurn[],
): Promise<ToolCall[] | 'question'> {
  const calls: ToolCall[] = [];
  await engine.reply({
    message,
    history,
    now,
    timeZone,
    tools: {
      run: async (call) => {
        calls.push({ name: call.name, arguments: call.arguments });
        return { ...call, result: { status: 'done', message: 'Done.' } };
      },
    },
  });
  return calls.length ? calls : 'question';
}

/** A turn's answer as the chat stores it: its calls with the results the corpus says they gave. */
function assistantTurn(turn: ConversationTurn): ChatTurn {
  const tool_calls: ExecutedToolCall[] = turn.calls.map((call, index) => ({
    ...call,
    result:
      index === 0 && turn.asked
        ? { status: 'question', message: 'Which one?', data: { candidates: turn.asked } }
        : { status: 'done', message: 'Done.', data: index === 0 ? { tasks: turn.shown ?? [] } : undefined },
  }));
  return { role: 'assistant', content: turn.question ? 'A question.' : 'Done.', tool_calls };
}

function outcome(
  corpus: string,
  group: string,
  say: string,
  expectedLine: { calls: readonly ToolCall[]; question?: boolean },
  actual: ToolCall[] | 'question',
): Outcome {
  const expected = expectedLine.question ? 'question' : expectedLine.calls;
  return { corpus, class: group, say, expected, actual, exact: isDeepStrictEqual(expected, actual) };
}

/** Lines without a class are grouped by what they ask for. */
function classOf(calls: readonly ToolCall[], question?: boolean): string {
  return question ? 'questions' : (calls[0]?.name ?? 'questions');
}

export interface Score {
  readonly name: string;
  readonly exact: number;
  readonly total: number;
}

/** Exact-match counts overall, per corpus and per class. */
export function scores(outcomes: readonly Outcome[]): { overall: Score; groups: Score[] } {
  const count = (name: string, subset: readonly Outcome[]): Score => ({
    name,
    exact: subset.filter((each) => each.exact).length,
    total: subset.length,
  });
  const keys = [...new Set(outcomes.map((each) => `${each.corpus} / ${each.class}`))].sort();
  return {
    overall: count('all', outcomes),
    groups: keys.map((key) =>
      count(
        key,
        outcomes.filter((each) => `${each.corpus} / ${each.class}` === key),
      ),
    ),
  };
}
