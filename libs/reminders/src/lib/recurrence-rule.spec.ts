import { normalizeRrule } from './recurrence-rule';

describe('normalizeRrule', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=MO', 'FREQ=WEEKLY;BYDAY=MO'],
    ['rrule:freq=daily;interval=2', 'FREQ=DAILY;INTERVAL=2'],
    ['FREQ=MONTHLY;BYDAY=3TH', 'FREQ=MONTHLY;BYDAY=+3TH'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['FREQ=DAILY;UNTIL=20270101T000000Z', 'FREQ=DAILY;UNTIL=20270101T000000Z'],
    ['FREQ=HOURLY;INTERVAL=4', 'FREQ=HOURLY;INTERVAL=4'],
  ])('accepts %s', (input, normalized) => {
    expect(normalizeRrule(input)).toEqual({ ok: true, rrule: normalized });
  });

  it.each([
    ['', /must not be empty/],
    ['FREQ=SOMETIMES', /invalid value for FREQ/],
    ['FREQ=DAILY;COUNT=x', /invalid value for COUNT/],
    ['FOO=BAR', /unknown RRULE part "FOO"/],
    ['INTERVAL=2', /needs FREQ/],
    ['FREQ=DAILY;DTSTART=20200101T000000Z', /must not contain DTSTART/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101', /cannot be combined/],
    ['FREQ=DAILY;FREQ=WEEKLY', /appears twice/],
    ['FREQ=WEEKLY;BYDAY=XX', /invalid value for BYDAY/],
    ['FREQ=MINUTELY', /^tasks repeat at most hourly \(FREQ=HOURLY\)$/],
    ['freq=secondly;interval=30', /^tasks repeat at most hourly \(FREQ=HOURLY\)$/],
  ])('rejects %j', (input, reason) => {
    const result = normalizeRrule(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
