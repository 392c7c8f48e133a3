import { maskQuotes } from '../text/quotes';
import { isExplicitReference, referenceFrom } from './references';

const reference = (phrase: string) => {
  const { text, quotes } = maskQuotes(phrase);
  return referenceFrom(text, { quotes });
};

describe('referenceFrom', () => {
  it.each([
    ['task 3', 3],
    ['Task #3', 3],
    ['#3', 3],
    ['number 3', 3],
    ['task number 12', 12],
    ['the task 4', 4],
    ['task three', 3],
  ])('%s is task number %d', (phrase, number) => {
    expect(reference(phrase)).toEqual({ number });
  });

  it.each([
    ['the meeting task', 'meeting'],
    ['buying groceries', 'buying groceries'],
    ['the dentist appointment', 'dentist appointment'],
    ['my tax return', 'tax return'],
    ['the task called "Pay rent"', 'Pay rent'],
    ["task named 'Call Bob'", 'Call Bob'],
    ['the standup.', 'standup'],
  ])('%s is the task titled %s', (phrase, title) => {
    expect(reference(phrase)).toEqual({ title });
  });

  it.each(['it', 'that', 'this one', 'the task', '', 'task 0'])('"%s" names no task', (phrase) => {
    expect(reference(phrase)).toBeUndefined();
  });

  it('tells explicit references from everyday words', () => {
    const { text } = maskQuotes('"Buy milk"');
    expect(isExplicitReference(text)).toBe(true);
    expect(isExplicitReference('task 3')).toBe(true);
    expect(isExplicitReference('the dentist task')).toBe(true);
    expect(isExplicitReference('the gym membership')).toBe(false);
  });
});
