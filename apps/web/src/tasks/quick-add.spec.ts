import { createBodyOf, draftOf, highlightQuickAdd } from './quick-add';

const interpretation = (args: Record<string, unknown>) => ({
  tool_calls: [{ name: 'add_task', arguments: args }],
});

describe('quick add preview', () => {
  it('marks what the parser understood and leaves the title plain', () => {
    const text = 'dentist fri 2pm p1 #health remind me 1h before';
    const draft = draftOf(
      interpretation({
        title: 'Dentist',
        due: '2026-12-04T14:00',
        priority: 'urgent',
        tags: ['health'],
        reminders: [{ before: 'PT1H' }],
      }),
    );
    expect(highlightQuickAdd(text, draft)).toEqual([
      { text: 'dentist ', kind: 'title' },
      { text: 'fri 2pm ', kind: 'date' },
      { text: 'p1 ', kind: 'priority' },
      { text: '#health ', kind: 'tag' },
      { text: 'remind me 1h before', kind: 'reminder' },
    ]);
  });

  it('dims command words before the title and marks recurrence', () => {
    const draft = draftOf(
      interpretation({
        title: 'Water the plants',
        due: '2026-12-06',
        recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', from: 'due' },
      }),
    );
    const segments = highlightQuickAdd('add water the plants every sunday', draft);
    expect(segments).toEqual([
      { text: 'add ', kind: 'command' },
      { text: 'water the plants ', kind: 'title' },
      { text: 'every sunday', kind: 'recurrence' },
    ]);
    expect(segments.map((segment) => segment.text).join('')).toBe('add water the plants every sunday');
  });

  it('shows the text as typed when it reads as something other than one new task', () => {
    expect(
      draftOf({ tool_calls: [{ name: 'complete_task', arguments: { task: { number: 3 } } }] }),
    ).toBeNull();
    expect(draftOf({ tool_calls: [], question: 'Which task?' })).toBeNull();
    expect(highlightQuickAdd('complete 3', null)).toEqual([{ text: 'complete 3', kind: 'title' }]);
  });

  it('turns wall times of the user zone into instants for the REST body', () => {
    const body = createBodyOf(
      {
        title: 'Buy groceries',
        due: '2026-12-04T17:00',
        priority: 'high',
        tags: ['errands'],
        reminders: [{ before: 'PT1H' }, { at: '2026-12-04T09:30' }],
      },
      'Europe/Berlin',
    );
    expect(body).toEqual({
      title: 'Buy groceries',
      due: '2026-12-04T17:00:00+01:00',
      priority: 'high',
      tags: ['errands'],
      reminders: [{ before: 'PT1H' }, { at: '2026-12-04T09:30:00+01:00' }],
    });
    expect(createBodyOf({ title: 'Trip', due: '2026-07-01' }, 'America/New_York')).toEqual({
      title: 'Trip',
      due: '2026-07-01',
    });
    expect(createBodyOf({ title: 'Call', due: '2026-07-01T09:00' }, 'America/New_York').due).toBe(
      '2026-07-01T09:00:00-04:00',
    );
  });
});
