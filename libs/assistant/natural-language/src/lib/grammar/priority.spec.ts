import { Utterance } from '../text/utterance';
import { type PriorityScope, priorityNamed, takePriority } from './priority';

function priority(text: string, scope: PriorityScope = 'title') {
  const utterance = new Utterance(text);
  return { priority: takePriority(utterance, scope), rest: utterance.rest() };
}

describe('takePriority', () => {
  it.each([
    ['Call the dentist p1', 'urgent'],
    ['Call the dentist p2', 'high'],
    ['Call the dentist p3', 'medium'],
    ['Call the dentist p4', 'low'],
    ['Call the dentist, high priority', 'high'],
    ['Call the dentist, priority high', 'high'],
    ['Call the dentist, priority: low', 'low'],
    ['Call the dentist with top priority', 'urgent'],
    ['Urgent: call the dentist', 'urgent'],
    ['Call the dentist, important', 'high'],
  ])('%s → %s', (text, level) => {
    expect(priority(text)).toEqual({ priority: level, rest: expect.stringMatching(/^call the dentist$/i) });
  });

  it('leaves "urgent" and "important" inside a title to the title', () => {
    expect(priority('Fix urgent bug')).toEqual({ priority: undefined, rest: 'Fix urgent bug' });
    expect(priority('Submit the important report')).toEqual({
      priority: undefined,
      rest: 'Submit the important report',
    });
  });

  it('reads them anywhere in a filter or change', () => {
    expect(priority('show me urgent tasks', 'anywhere').priority).toBe('urgent');
    expect(priority('show me important tasks', 'anywhere').priority).toBe('high');
  });

  it('reads a bare level word', () => {
    expect(priorityNamed('high')).toBe('high');
    expect(priorityNamed('p1')).toBe('urgent');
    expect(priorityNamed('soon')).toBeUndefined();
  });
});
