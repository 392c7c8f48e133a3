import { recurrencePhrase, taskLine, whenPhrase } from './task-phrases';
import type { TaskView } from './task-view';

const now = '2026-11-23T09:00'; // a Monday

describe('task phrases', () => {
  it.each([
    ['2026-11-23T17:00', 'today 17:00'],
    ['2026-11-24T17:00', 'tomorrow 17:00'],
    ['2026-11-22', 'yesterday'],
    ['2026-11-27T14:00', 'Friday 14:00'],
    ['2026-12-05', 'Sat 5 Dec'],
    ['2027-03-03', 'Wed 3 Mar 2027'],
  ])('says %s as "%s"', (wall, phrase) => {
    expect(whenPhrase(wall, now)).toBe(phrase);
  });

  it('describes repetition in words', () => {
    expect(recurrencePhrase({ rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' })).toBe('every week on Monday');
    expect(recurrencePhrase({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', from: 'due' })).toBe(
      'every month on the last day',
    );
    expect(recurrencePhrase({ rrule: 'FREQ=MONTHLY;INTERVAL=3', from: 'completion' })).toBe(
      'every 3 months from completion',
    );
  });

  it('confirms a task with its due time, reminder, priority and tags', () => {
    const task: TaskView = {
      id: 'c0ffee00-0000-4000-8000-000000000012',
      number: 12,
      title: 'Buy groceries',
      description: null,
      status: 'pending',
      priority: 'high',
      tags: ['errands', 'home'],
      due: '2026-11-24T17:00',
      overdue: false,
      recurrence: null,
      reminders: [{ before: 'PT1H', fires_at: '2026-11-24T16:00', state: 'scheduled' }],
    };
    expect(taskLine(task, now)).toBe(
      '#12 Buy groceries — due tomorrow 17:00, reminder at 16:00, high priority, #errands #home',
    );
    expect(taskLine({ ...task, due: null, priority: 'none', tags: [], reminders: [] }, now)).toBe(
      '#12 Buy groceries',
    );
  });
});
