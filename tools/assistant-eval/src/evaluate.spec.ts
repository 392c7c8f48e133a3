import { ChatEngine, type EngineReply, type EngineRequest, OfflineEngine } from '@todo/chat';
import { evaluateConversation, evaluateLine, scores } from './evaluate';

const NOW = { now: '2026-11-23T09:00', tz: 'Europe/Berlin' };

/** An engine that always adds "Milk", whatever it is told: right once, wrong otherwise. */
class MilkEngine extends ChatEngine {
  async reply(request: EngineRequest): Promise<EngineReply> {
    const executed = await request.tools.run({ name: 'add_task', arguments: { title: 'Milk' } });
    return { response: 'ok', tool_calls: [executed] };
  }
}

describe('evaluate', () => {
  it('counts exact calls, questions and misses per corpus and class', async () => {
    const engine = new MilkEngine();
    const outcomes = [
      await evaluateLine(engine, 'a', {
        ...NOW,
        line: 1,
        say: 'milk',
        calls: [{ name: 'add_task', arguments: { title: 'Milk' } }],
      }),
      await evaluateLine(engine, 'a', {
        ...NOW,
        line: 2,
        say: 'eggs',
        calls: [{ name: 'add_task', arguments: { title: 'Eggs' } }],
      }),
      await evaluateLine(engine, 'a', { ...NOW, line: 3, say: 'hm?', calls: [], question: true }),
    ];
    expect(outcomes.map((each) => each.exact)).toEqual([true, false, false]);
    expect(outcomes[2]).toMatchObject({
      class: 'questions',
      expected: 'question',
      actual: [expect.anything()],
    });
    expect(scores(outcomes)).toEqual({
      overall: { name: 'all', exact: 1, total: 3 },
      groups: [
        { name: 'a / add_task', exact: 1, total: 2 },
        { name: 'a / questions', exact: 0, total: 1 },
      ],
    });
  });

  it('replays a conversation with the results the corpus gives, so follow-ups have their context', async () => {
    const outcomes = await evaluateConversation(new OfflineEngine(), 'turns', {
      class: 'follow-ups',
      ...NOW,
      line: 1,
      turns: [
        {
          say: 'Add dentist tomorrow at 3pm',
          calls: [{ name: 'add_task', arguments: { title: 'Dentist', due: '2026-11-24T15:00' } }],
          shown: [{ number: 12, title: 'Dentist', due: '2026-11-24T15:00' }],
        },
        { say: 'delete it', calls: [{ name: 'delete_task', arguments: { task: { number: 12 } } }] },
      ],
    });
    expect(outcomes.map((each) => [each.say, each.exact])).toEqual([
      ['Add dentist tomorrow at 3pm', true],
      ['delete it', true],
    ]);
  });
});
