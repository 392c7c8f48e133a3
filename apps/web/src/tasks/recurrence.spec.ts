import { describeRule, nextDates, presetOfRule, ruleOfPreset } from './recurrence';

describe('recurrence editor logic', () => {
  it('builds preset rules anchored on the due date', () => {
    // 2026-12-03 is a Thursday
    expect(ruleOfPreset('weekly', '2026-12-03T09:00')).toBe('FREQ=WEEKLY;BYDAY=TH');
    expect(ruleOfPreset('monthly', '2026-12-03')).toBe('FREQ=MONTHLY;BYMONTHDAY=3');
    expect(ruleOfPreset('weekdays', null)).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(ruleOfPreset('none', '2026-12-03')).toBeNull();
  });

  it('recognises a stored rule as its preset, anything else as custom', () => {
    expect(presetOfRule('FREQ=WEEKLY;BYDAY=TH', '2026-12-03T09:00')).toBe('weekly');
    expect(presetOfRule('FREQ=DAILY', null)).toBe('daily');
    expect(presetOfRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', '2026-12-03')).toBe('custom');
    expect(presetOfRule(null, null)).toBe('none');
  });

  it('says the rule in words with the time of day and every!', () => {
    expect(describeRule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-12-03T09:00')).toBe(
      'every weekday at 09:00',
    );
    expect(describeRule('FREQ=DAILY;INTERVAL=3', '2026-12-03', 'completion')).toBe(
      'every 3 days, counted from completion',
    );
    expect(describeRule('NOT A RULE', '2026-12-03')).toBeNull();
  });

  it('lists the next dates after the due in wall time', () => {
    expect(nextDates('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-12-04T09:00', 3)).toEqual([
      'Mon, 7 Dec 2026, 09:00',
      'Tue, 8 Dec 2026, 09:00',
      'Wed, 9 Dec 2026, 09:00',
    ]);
    expect(nextDates('FREQ=MONTHLY;BYMONTHDAY=31', '2026-12-31', 2)).toEqual([
      'Sun, 31 Jan 2027',
      'Wed, 31 Mar 2027',
    ]);
    expect(nextDates('FREQ=DAILY', null)).toEqual([]);
  });
});
