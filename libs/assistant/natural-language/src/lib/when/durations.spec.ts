import { DURATION, durationOf, isoDuration } from './durations';

describe('durations', () => {
  it.each([
    ['1 hour', 'PT1H'],
    ['an hour', 'PT1H'],
    ['15 minutes', 'PT15M'],
    ['90 minutes', 'PT90M'],
    ['30 min', 'PT30M'],
    ['2 hrs', 'PT2H'],
    ['half an hour', 'PT30M'],
    ['an hour and a half', 'PT1H30M'],
    ['1.5 hours', 'PT1H30M'],
    ['2h', 'PT2H'],
    ['a day', 'P1D'],
    ['two days', 'P2D'],
    ['1 day and 2 hours', 'P1DT2H'],
    ['a week', 'P1W'],
  ])('%s is %s', (text, iso) => {
    expect(new RegExp(`^${DURATION}$`, 'iu').test(text)).toBe(true);
    expect(isoDuration(durationOf(text))).toBe(iso);
  });

  it('has no ISO form for months or years (the contract allows weeks at most)', () => {
    expect(isoDuration(durationOf('a month'))).toBeUndefined();
    expect(isoDuration(durationOf('2 years'))).toBeUndefined();
  });

  it('does not read words that merely start like a unit', () => {
    expect(new RegExp(`^${DURATION}`, 'iu').test('2 mangoes')).toBe(false);
  });
});
