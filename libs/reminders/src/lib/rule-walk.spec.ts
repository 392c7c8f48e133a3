import fc from 'fast-check';
import { RRule } from 'rrule';
import { searchNextOccurrence } from './next-occurrence';
import { normalizeRrule } from './recurrence-rule';
import { CANDIDATE_BUDGET, walkRule } from './rule-walk';
import { completedOccurrences, HOSTILE_RULES, ORDINARY_RULES, ruleTexts } from './testing/rule-arbitraries';

const START = new Date('2026-12-03T10:00:00Z');

function walk(rule: string, dtstart = START, accept: (date: Date) => boolean = () => true) {
  return walkRule({ ...RRule.parseString(rule), dtstart, until: null }, accept);
}

/** The most one step of a walk is charged: a year of day slots plus a year of days. */
const LARGEST_PERIOD_CHARGE = 366 + 366;

describe('walkRule', () => {
  it.each([
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=WEEKLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=HOURLY;INTERVAL=5;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1',
    'FREQ=DAILY;INTERVAL=7;BYDAY=MO', // from a Thursday: never
  ])('stops %s, which has no date, at the budget', (rule) => {
    const result = walk(rule);
    expect(result).toEqual({ date: null, examined: expect.any(Number), exhausted: true });
    // The budget stopped it (rrule alone would walk on to the year 9999), after using it up.
    expect(result.examined).toBeLessThanOrEqual(CANDIDATE_BUDGET);
    expect(result.examined).toBeGreaterThan(CANDIDATE_BUDGET - LARGEST_PERIOD_CHARGE);
  });

  it('charges every time of the first period before rrule makes them', () => {
    // 366 days × 24 × 60 × 60 times: rrule would make 31 million dates before the first period ends.
    const hours = Array.from({ length: 24 }, (_, hour) => hour).join(',');
    const minutes = Array.from({ length: 60 }, (_, minute) => minute).join(',');
    const rule = `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=${hours};BYMINUTE=${minutes};BYSECOND=${minutes}`;
    expect(walk(rule)).toEqual({ date: null, examined: 0, exhausted: true });
  });

  it('ends an hourly rule whose INTERVAL never lands on its BYHOUR (rrule would loop forever)', () => {
    expect(walk('FREQ=HOURLY;INTERVAL=2;BYHOUR=9', new Date('2026-12-03T08:00:00Z'))).toEqual({
      date: null,
      examined: 0,
      exhausted: false,
    });
    expect(walk('FREQ=HOURLY;INTERVAL=2;BYHOUR=9', new Date('2026-12-03T07:00:00Z')).date).toEqual(
      new Date('2026-12-03T09:00:00Z'),
    );
  });

  it('walks a daily rule with rare days a year at a time', () => {
    const result = walk('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', new Date('2028-03-01T09:00:00Z'));
    expect(result.date).toEqual(new Date('2032-02-29T09:00:00Z'));
    expect(result.examined).toBeLessThan(5 * 2 * LARGEST_PERIOD_CHARGE); // 5 years, charged at most twice
  });

  it('skips whole months of a monthly rule completed decades late', () => {
    const result = walkRule(
      { ...RRule.parseString('FREQ=MONTHLY'), dtstart: new Date('1970-01-31T09:00:00Z'), until: null },
      (date) => date >= new Date('2026-12-01T00:00:00Z'),
      new Date('2026-11-28T00:00:00Z'),
    );
    expect(result.date).toEqual(new Date('2026-12-31T09:00:00Z'));
    expect(result.examined).toBeLessThan(3 * LARGEST_PERIOD_CHARGE);
  });

  it('gives the dates rrule gives, skipping and rewriting aside (property)', () => {
    fc.assert(
      fc.property(
        ruleTexts,
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 2 * 365 * 24 }),
        (rule, start, skipHours) => {
          const options = { ...RRule.parseString(rule), dtstart: new Date(Math.floor(start / 1000) * 1000) };
          // Many times an hour: refused at write time, and slow for the plain rrule below.
          if (/BY(MINUTE|SECOND)=\d+,/.test(rule)) return;
          const skipTo = new Date(options.dtstart.getTime() + skipHours * 3_600_000);
          const found: Date[] = [];
          const result = walkRule({ ...options, until: null }, (date) => found.push(date) >= 5, skipTo);
          expect(result.examined).toBeLessThanOrEqual(CANDIDATE_BUDGET);
          if (!result.date) return; // no 5 dates within the budget: nothing to compare
          // The plain rule, its BYHOUR sorted (rrule keeps it as written and hands 01:00 before
          // 00:00 for BYHOUR=1,0, or picks 01:00 as the first with BYSETPOS=1), can walk to the last
          // date found without running away. It hands a date over twice when two BYSETPOS pick it,
          // which changes no next date.
          const last = found[found.length - 1];
          const expected: Date[] = [];
          const { byhour } = options;
          const sortedHours = Array.isArray(byhour) ? [...byhour].sort((a, b) => a - b) : byhour;
          new RRule({ ...options, byhour: sortedHours, tzid: null }, true).all(
            (date) => date <= last && expected.push(date) > 0,
          );
          const fromSkip = (dates: Date[]) => [
            ...new Set(dates.filter((date) => date >= skipTo).map((date) => date.toISOString())),
          ];
          expect({ rule, dates: fromSkip(found) }).toEqual({ rule, dates: fromSkip(expected) });
        },
      ),
      { numRuns: 300, seed: 20261203 },
    );
  });
});

describe('adversarial rules are refused at write time or searched within the candidate budget', () => {
  const REFUSALS =
    /^(tasks repeat at most hourly|matches no date|UNTIL must be|invalid value for (BYSETPOS|BYDAY)|COUNT and UNTIL)/;

  it.each([...HOSTILE_RULES, ...ORDINARY_RULES])('%s', (rule) => {
    const check = normalizeRrule(rule);
    if (!check.ok) return expect(check.reason).toMatch(REFUSALS);
    fc.assert(
      fc.property(completedOccurrences(fc.constant(check.rrule)), (occurrence) => {
        expect(searchNextOccurrence(occurrence).examined).toBeLessThanOrEqual(CANDIDATE_BUDGET);
      }),
      { numRuns: 30, seed: 1 },
    );
  });

  it('holds for generated rules, refused ones included (they may be stored from before)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(completedOccurrences(ruleTexts), (occurrence) => {
        const check = normalizeRrule(occurrence.rrule);
        if (check.ok) accepted++;
        else expect(check.reason).toMatch(REFUSALS);
        const { examined, exhausted, next } = searchNextOccurrence(occurrence);
        expect(examined).toBeLessThanOrEqual(CANDIDATE_BUDGET);
        if (exhausted) expect(next).toBeNull();
      }),
      { numRuns: 400, seed: 20261203 },
    );
    expect(accepted).toBeGreaterThan(40); // both sides are exercised
  });
});
