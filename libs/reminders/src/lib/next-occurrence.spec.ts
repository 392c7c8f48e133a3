import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import {
  type CompletedOccurrence,
  nextOccurrence,
  type OccurrenceDue,
  searchNextOccurrence,
} from './next-occurrence';
import { CANDIDATE_BUDGET } from './rule-walk';
import { instantAt } from './wall-clock';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const SYDNEY = 'Australia/Sydney';

/** A due as written: `YYYY-MM-DD` (all day) or an RFC 3339 time with offset. */
function due(text: string): OccurrenceDue {
  return text.includes('T') ? { allDay: false, at: new Date(text) } : { allDay: true, date: text };
}

/** The result as local wall time with its offset, so tests pin both. */
function show(result: OccurrenceDue | null, zone: string): string | null {
  if (!result) return null;
  if (result.allDay) return result.date;
  return DateTime.fromJSDate(result.at, { zone }).toISO({ suppressMilliseconds: true });
}

function next(
  rrule: string,
  zone: string,
  dueText: string,
  completedAt: string,
  options: Partial<Pick<CompletedOccurrence, 'from' | 'position'>> = {},
): string | null {
  const occurrence: CompletedOccurrence = {
    rrule,
    timeZone: zone,
    due: due(dueText),
    completedAt: new Date(completedAt),
    from: options.from ?? 'due',
    position: options.position ?? 1,
  };
  return show(nextOccurrence(occurrence), zone);
}

describe('nextOccurrence', () => {
  describe('keeps the local time across DST changes', () => {
    it.each([
      // [zone, due, completed, next]
      [BERLIN, '2026-03-28T09:00:00+01:00', '2026-03-28T09:10:00+01:00', '2026-03-29T09:00:00+02:00'],
      [BERLIN, '2026-10-24T09:00:00+02:00', '2026-10-24T09:10:00+02:00', '2026-10-25T09:00:00+01:00'],
      [NEW_YORK, '2026-03-07T09:00:00-05:00', '2026-03-07T09:10:00-05:00', '2026-03-08T09:00:00-04:00'],
      [NEW_YORK, '2026-10-31T09:00:00-04:00', '2026-10-31T09:10:00-04:00', '2026-11-01T09:00:00-05:00'],
      // Southern hemisphere: summer time ends on the first Sunday of April, starts on the first of October.
      [SYDNEY, '2026-04-04T09:00:00+11:00', '2026-04-04T09:10:00+11:00', '2026-04-05T09:00:00+10:00'],
      [SYDNEY, '2026-10-03T09:00:00+10:00', '2026-10-03T09:10:00+10:00', '2026-10-04T09:00:00+11:00'],
    ])('daily 09:00 in %s: %s → %s', (zone, dueText, completed, expected) => {
      expect(next('FREQ=DAILY', zone, dueText, completed)).toBe(expected);
    });

    it.each([
      [BERLIN, 'FREQ=WEEKLY', '2026-03-22T18:00:00+01:00', '2026-03-29T18:00:00+02:00'],
      [NEW_YORK, 'FREQ=WEEKLY;BYDAY=MO,TH', '2026-10-29T07:30:00-04:00', '2026-11-02T07:30:00-05:00'],
      [SYDNEY, 'FREQ=WEEKLY;BYDAY=SU', '2026-09-27T08:00:00+10:00', '2026-10-04T08:00:00+11:00'],
      [SYDNEY, 'FREQ=WEEKLY;BYDAY=SU', '2026-03-29T08:00:00+11:00', '2026-04-05T08:00:00+10:00'],
    ])('weekly in %s (%s): %s → %s', (zone, rrule, dueText, expected) => {
      expect(next(rrule, zone, dueText, dueText)).toBe(expected);
    });

    it('moves 02:30 forward by the gap on the spring-forward day in Berlin, and continues from there', () => {
      expect(next('FREQ=DAILY', BERLIN, '2026-03-28T02:30:00+01:00', '2026-03-28T02:00:00+01:00')).toBe(
        '2026-03-29T03:30:00+02:00',
      );
      // The next due starts from the one before: the series stays at 03:30 (the original 02:30 is gone).
      expect(next('FREQ=DAILY', BERLIN, '2026-03-29T03:30:00+02:00', '2026-03-29T03:00:00+02:00')).toBe(
        '2026-03-30T03:30:00+02:00',
      );
    });

    it('picks the first 01:30 on the fall-back day in New York', () => {
      expect(next('FREQ=DAILY', NEW_YORK, '2026-10-31T01:30:00-04:00', '2026-10-31T01:00:00-04:00')).toBe(
        '2026-11-01T01:30:00-04:00',
      );
      // Completed during the second 01:30: the next day, in standard time.
      expect(next('FREQ=DAILY', NEW_YORK, '2026-11-01T01:30:00-04:00', '2026-11-01T01:45:00-05:00')).toBe(
        '2026-11-02T01:30:00-05:00',
      );
    });

    it('picks the first 02:30 on the fall-back day in Berlin and Sydney', () => {
      expect(next('FREQ=DAILY', BERLIN, '2026-10-24T02:30:00+02:00', '2026-10-24T02:00:00+02:00')).toBe(
        '2026-10-25T02:30:00+02:00',
      );
      expect(next('FREQ=DAILY', SYDNEY, '2026-04-04T02:30:00+11:00', '2026-04-04T02:00:00+11:00')).toBe(
        '2026-04-05T02:30:00+11:00',
      );
    });

    it('counts hours in wall time: the repeated hour at fall-back is not a due', () => {
      expect(next('FREQ=HOURLY', NEW_YORK, '2026-11-01T00:30:00-04:00', '2026-11-01T00:00:00-04:00')).toBe(
        '2026-11-01T01:30:00-04:00',
      );
      expect(next('FREQ=HOURLY', NEW_YORK, '2026-11-01T01:30:00-04:00', '2026-11-01T01:00:00-04:00')).toBe(
        '2026-11-01T02:30:00-05:00',
      );
      // The hour that does not exist at spring-forward becomes the one after it.
      expect(next('FREQ=HOURLY', BERLIN, '2026-03-29T01:00:00+01:00', '2026-03-29T00:30:00+01:00')).toBe(
        '2026-03-29T03:00:00+02:00',
      );
    });
  });

  it('ends the series rather than go past the last storable year', () => {
    expect(next('FREQ=YEARLY', BERLIN, '9999-06-01', '9999-06-01T10:00:00+02:00')).toBeNull();
    expect(next('FREQ=MONTHLY', BERLIN, '9999-11-01', '9999-11-01T10:00:00+01:00')).toBe('9999-12-01');
  });

  describe('monthly rules', () => {
    it('on the 31st skips months without one (RFC 5545)', () => {
      expect(next('FREQ=MONTHLY;BYMONTHDAY=31', BERLIN, '2026-01-31', '2026-01-31T10:00:00+01:00')).toBe(
        '2026-03-31',
      );
      expect(next('FREQ=MONTHLY;BYMONTHDAY=31', BERLIN, '2026-03-31', '2026-03-31T10:00:00+02:00')).toBe(
        '2026-05-31',
      );
      expect(
        next('FREQ=MONTHLY;BYMONTHDAY=31', BERLIN, '2026-01-31T09:00:00+01:00', '2026-01-31T09:00:00+01:00'),
      ).toBe('2026-03-31T09:00:00+02:00');
    });

    it('without BYMONTHDAY takes the day from the due, so from Jan 31 it goes to Mar 31', () => {
      expect(next('FREQ=MONTHLY', BERLIN, '2026-01-31', '2026-01-31T10:00:00+01:00')).toBe('2026-03-31');
    });

    it.each([
      ['2028-01-31', '2028-02-29'], // leap year
      ['2028-02-29', '2028-03-31'],
      ['2027-01-31', '2027-02-28'],
      ['2026-04-30', '2026-05-31'],
    ])('on the last day (BYMONTHDAY=-1): %s → %s', (dueText, expected) => {
      expect(next('FREQ=MONTHLY;BYMONTHDAY=-1', BERLIN, dueText, `${dueText}T12:00:00Z`)).toBe(expected);
    });

    it('on the 2nd Tuesday', () => {
      const rule = 'FREQ=MONTHLY;BYDAY=2TU';
      expect(next(rule, BERLIN, '2026-01-13T18:00:00+01:00', '2026-01-13T18:00:00+01:00')).toBe(
        '2026-02-10T18:00:00+01:00',
      );
      expect(next(rule, BERLIN, '2026-03-10T18:00:00+01:00', '2026-03-10T18:00:00+01:00')).toBe(
        '2026-04-14T18:00:00+02:00',
      );
    });

    it('on the last Friday', () => {
      const rule = 'FREQ=MONTHLY;BYDAY=-1FR';
      expect(next(rule, NEW_YORK, '2026-01-30', '2026-01-30T12:00:00-05:00')).toBe('2026-02-27');
      expect(next(rule, NEW_YORK, '2026-02-27', '2026-02-27T12:00:00-05:00')).toBe('2026-03-27');
      expect(next(rule, NEW_YORK, '2026-07-31', '2026-07-31T12:00:00-04:00')).toBe('2026-08-28');
    });

    it('yearly on Feb 29 waits for the next leap year', () => {
      expect(next('FREQ=YEARLY', BERLIN, '2028-02-29', '2028-02-29T12:00:00+01:00')).toBe('2032-02-29');
    });
  });

  describe('every (from the due) vs every! (from the completion)', () => {
    const dueMonday = '2026-11-16T09:00:00+01:00';
    const completedWednesday = '2026-11-18T08:00:00+01:00';

    it('every 3 days counts from the due', () => {
      expect(next('FREQ=DAILY;INTERVAL=3', BERLIN, dueMonday, completedWednesday)).toBe(
        '2026-11-19T09:00:00+01:00',
      );
    });

    it("every! 3 days counts from the completion day, at the due's time", () => {
      expect(
        next('FREQ=DAILY;INTERVAL=3', BERLIN, dueMonday, completedWednesday, { from: 'completion' }),
      ).toBe('2026-11-21T09:00:00+01:00');
    });

    it('every! for an all-day task counts from the completion date in the zone', () => {
      // 20:00Z on the 10th is already the 11th in Tokyo.
      expect(
        next('FREQ=WEEKLY', 'Asia/Tokyo', '2026-11-02', '2026-11-10T20:00:00Z', { from: 'completion' }),
      ).toBe('2026-11-18');
    });

    it('every! completed early may come before the old due', () => {
      expect(
        next('FREQ=WEEKLY', BERLIN, '2026-11-20T09:00:00+01:00', '2026-11-17T12:00:00+01:00', {
          from: 'completion',
        }),
      ).toBe('2026-11-24T09:00:00+01:00');
    });

    it('every! hourly counts from the completion time, to the minute', () => {
      expect(
        next('FREQ=HOURLY;INTERVAL=2', BERLIN, '2026-11-16T09:00:00+01:00', '2026-11-16T10:17:45.500+01:00', {
          from: 'completion',
        }),
      ).toBe('2026-11-16T12:17:00+01:00');
    });

    it('every! does not create an overdue task with several times a day', () => {
      expect(
        next('FREQ=DAILY;BYHOUR=9,18', BERLIN, '2026-11-16T09:00:00+01:00', '2026-11-18T20:00:00+01:00', {
          from: 'completion',
        }),
      ).toBe('2026-11-19T09:00:00+01:00');
    });
  });

  describe('late and early completion', () => {
    it('skips whole months and years when completed decades late', () => {
      expect(next('FREQ=MONTHLY', BERLIN, '1970-01-31T09:00:00+01:00', '2026-12-03T12:00:00+01:00')).toBe(
        '2026-12-31T09:00:00+01:00',
      );
      expect(next('FREQ=YEARLY;BYMONTH=2', NEW_YORK, '1970-01-05', '2026-12-03T12:00:00Z')).toBe(
        '2027-02-05',
      );
      expect(next('FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1', SYDNEY, '1972-02-25', '2026-12-03T12:00:00Z')).toBe(
        '2026-12-25',
      );
    });

    it('takes the earliest time of a day whatever the order of BYHOUR', () => {
      expect(
        next('FREQ=DAILY;BYHOUR=18,9', BERLIN, '2026-12-01T18:00:00+01:00', '2026-12-01T18:30:00+01:00'),
      ).toBe('2026-12-02T09:00:00+01:00');
    });

    it('skips timed occurrences already missed', () => {
      const dueText = '2026-11-10T09:00:00+01:00';
      expect(next('FREQ=DAILY', BERLIN, dueText, '2026-11-14T10:00:00+01:00')).toBe(
        '2026-11-15T09:00:00+01:00',
      );
      // Today's 09:00 has not passed yet: that is the next due.
      expect(next('FREQ=DAILY', BERLIN, dueText, '2026-11-14T08:00:00+01:00')).toBe(
        '2026-11-14T09:00:00+01:00',
      );
      // Exactly at the due time counts as missed (it would be overdue at once).
      expect(next('FREQ=DAILY', BERLIN, dueText, '2026-11-14T09:00:00+01:00')).toBe(
        '2026-11-15T09:00:00+01:00',
      );
    });

    it('skips weekly occurrences already missed', () => {
      expect(
        next('FREQ=WEEKLY;BYDAY=MO', NEW_YORK, '2026-10-05T10:00:00-04:00', '2026-10-27T10:00:00-04:00'),
      ).toBe('2026-11-02T10:00:00-05:00');
    });

    it('skips all-day occurrences whose day has ended, keeping today', () => {
      expect(next('FREQ=DAILY', BERLIN, '2026-11-10', '2026-11-14T22:00:00+01:00')).toBe('2026-11-14');
      expect(next('FREQ=WEEKLY', BERLIN, '2026-11-02', '2026-11-14T22:00:00+01:00')).toBe('2026-11-16');
    });

    it('gives the next day when an all-day task is completed late on its own day', () => {
      expect(next('FREQ=DAILY', BERLIN, '2026-11-10', '2026-11-10T23:59:00+01:00')).toBe('2026-11-11');
    });

    it('uses the completion date in the task zone, not in UTC', () => {
      // 20:00Z on the 10th is the 11th in Tokyo: the 11th is still open.
      expect(next('FREQ=DAILY', 'Asia/Tokyo', '2026-11-09', '2026-11-10T20:00:00Z')).toBe('2026-11-11');
    });

    it('gives the date after the due when completed early', () => {
      expect(next('FREQ=WEEKLY', BERLIN, '2026-11-20T09:00:00+01:00', '2026-11-17T12:00:00+01:00')).toBe(
        '2026-11-27T09:00:00+01:00',
      );
      expect(next('FREQ=DAILY', BERLIN, '2026-11-20', '2026-11-17T12:00:00+01:00')).toBe('2026-11-21');
    });

    it('every hour from the due skips missed hours', () => {
      expect(next('FREQ=HOURLY', BERLIN, '2026-11-16T09:00:00+01:00', '2026-11-16T11:30:00+01:00')).toBe(
        '2026-11-16T12:00:00+01:00',
      );
    });

    it('keeps the INTERVAL=2 weekly rhythm when skipping', () => {
      const rule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR';
      const friday = '2026-01-09T09:00:00+01:00';
      expect(next(rule, BERLIN, friday, friday)).toBe('2026-01-19T09:00:00+01:00');
      expect(next(rule, BERLIN, '2026-01-19T09:00:00+01:00', '2026-01-19T09:00:00+01:00')).toBe(
        '2026-01-23T09:00:00+01:00',
      );
      // Mon 19 and Fri 23 are missed; the week of the 26th is off.
      expect(next(rule, BERLIN, friday, '2026-01-28T12:00:00+01:00')).toBe('2026-02-02T09:00:00+01:00');
    });
  });

  describe('end of the series', () => {
    it('COUNT counts the tasks of the series', () => {
      const dueText = '2026-11-16T09:00:00+01:00';
      expect(next('FREQ=DAILY;COUNT=3', BERLIN, dueText, dueText, { position: 2 })).toBe(
        '2026-11-17T09:00:00+01:00',
      );
      expect(next('FREQ=DAILY;COUNT=3', BERLIN, dueText, dueText, { position: 3 })).toBeNull();
      expect(next('FREQ=DAILY;COUNT=1', BERLIN, dueText, dueText, { position: 1 })).toBeNull();
      // Missed occurrences do not count: a late completion still gives the third task.
      expect(next('FREQ=DAILY;COUNT=3', BERLIN, dueText, '2026-11-25T12:00:00+01:00', { position: 2 })).toBe(
        '2026-11-26T09:00:00+01:00',
      );
    });

    it('COUNT applies to every! too', () => {
      const dueText = '2026-11-16';
      expect(
        next('FREQ=DAILY;COUNT=2', BERLIN, dueText, '2026-11-16T12:00:00+01:00', {
          from: 'completion',
          position: 2,
        }),
      ).toBeNull();
    });

    it('a date-only UNTIL includes that whole day in the zone', () => {
      const rule = 'FREQ=DAILY;UNTIL=20261231';
      expect(next(rule, BERLIN, '2026-12-30T23:30:00+01:00', '2026-12-30T23:30:00+01:00')).toBe(
        '2026-12-31T23:30:00+01:00',
      );
      expect(next(rule, BERLIN, '2026-12-31T09:00:00+01:00', '2026-12-31T09:00:00+01:00')).toBeNull();
      expect(next(rule, BERLIN, '2026-12-30', '2026-12-30T12:00:00+01:00')).toBe('2026-12-31');
      expect(next(rule, BERLIN, '2026-12-31', '2026-12-31T12:00:00+01:00')).toBeNull();
    });

    it('a UTC UNTIL is an instant', () => {
      // 22:00Z is 23:00 in Berlin.
      const rule = 'FREQ=DAILY;UNTIL=20261231T220000Z';
      expect(next(rule, BERLIN, '2026-12-30T22:30:00+01:00', '2026-12-30T22:30:00+01:00')).toBe(
        '2026-12-31T22:30:00+01:00',
      );
      expect(next(rule, BERLIN, '2026-12-30T23:00:00+01:00', '2026-12-30T23:00:00+01:00')).toBe(
        '2026-12-31T23:00:00+01:00',
      );
      expect(next(rule, BERLIN, '2026-12-30T23:30:00+01:00', '2026-12-30T23:30:00+01:00')).toBeNull();
      expect(next(rule, 'Asia/Tokyo', '2026-12-30T09:00:00+09:00', '2026-12-30T09:00:00+09:00')).toBe(
        '2026-12-31T09:00:00+09:00',
      );
      // 22:00Z on Dec 31 is Jan 1 07:00 in Tokyo.
      expect(next(rule, 'Asia/Tokyo', '2026-12-31T09:00:00+09:00', '2026-12-31T09:00:00+09:00')).toBeNull();
    });

    it('a local UNTIL is a wall time in the zone', () => {
      const rule = 'FREQ=DAILY;UNTIL=20261231T090000';
      expect(next(rule, NEW_YORK, '2026-12-30T09:00:00-05:00', '2026-12-30T09:00:00-05:00')).toBe(
        '2026-12-31T09:00:00-05:00',
      );
      expect(next(rule, NEW_YORK, '2026-12-30T09:01:00-05:00', '2026-12-30T09:01:00-05:00')).toBeNull();
    });

    it('ends when completing after UNTIL has passed', () => {
      expect(next('FREQ=DAILY;UNTIL=20261231', BERLIN, '2026-12-20', '2027-01-05T12:00:00+01:00')).toBeNull();
    });

    it('ends at the candidate budget for a rule that matches no date', () => {
      const search = searchNextOccurrence({
        rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
        from: 'due',
        timeZone: BERLIN,
        due: due('2026-01-01'),
        completedAt: new Date('2026-01-01T12:00:00Z'),
        position: 1,
      });
      expect(search).toEqual({ next: null, examined: expect.any(Number), exhausted: true });
      expect(search.examined).toBeLessThanOrEqual(CANDIDATE_BUDGET);
    });

    it('ends when the due puts the rule out of phase (every 7 days on Mondays, due on a Tuesday)', () => {
      expect(next('FREQ=DAILY;INTERVAL=7;BYDAY=MO', BERLIN, '2026-12-01', '2026-12-01T12:00:00Z')).toBeNull();
      expect(next('FREQ=DAILY;INTERVAL=7;BYDAY=MO', BERLIN, '2026-11-30', '2026-11-30T12:00:00Z')).toBe(
        '2026-12-07',
      );
    });

    it('ends an hourly rule whose INTERVAL never reaches its BYHOUR from the due', () => {
      const rule = 'FREQ=HOURLY;INTERVAL=2;BYHOUR=9,11';
      expect(next(rule, BERLIN, '2026-12-01T08:00:00+01:00', '2026-12-01T08:00:00+01:00')).toBeNull();
      expect(next(rule, BERLIN, '2026-12-01T09:00:00+01:00', '2026-12-01T09:00:00+01:00')).toBe(
        '2026-12-01T11:00:00+01:00',
      );
    });
  });

  describe('properties (seeded random inputs)', () => {
    const zones = [
      BERLIN,
      NEW_YORK,
      SYDNEY,
      'Asia/Tokyo',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/Santiago',
      'UTC',
    ];
    const rules = [
      'FREQ=HOURLY',
      'FREQ=HOURLY;INTERVAL=5',
      'FREQ=DAILY',
      'FREQ=DAILY;INTERVAL=3',
      'FREQ=DAILY;BYHOUR=2,14;BYMINUTE=30',
      'FREQ=WEEKLY',
      'FREQ=WEEKLY;BYDAY=MO,WE,FR',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU',
      'FREQ=MONTHLY',
      'FREQ=MONTHLY;BYMONTHDAY=31',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      'FREQ=MONTHLY;BYDAY=2TU',
      'FREQ=MONTHLY;BYDAY=-1FR',
      'FREQ=YEARLY',
      'FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU',
    ];

    // mulberry32: small, seeded, deterministic.
    function random(seed: number): () => number {
      let state = seed;
      return () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    it('is strictly after the due (every) or not before it when completed late (every!), and never missed', () => {
      const rand = random(20261122);
      let late = 0;
      const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
      const start = Date.parse('2025-01-01T00:00:00Z');
      for (let i = 0; i < 500; i++) {
        const timeZone = pick(zones);
        const rrule = pick(rules);
        const from = pick(['due', 'completion'] as const);
        const dueAt = new Date(start + Math.floor(rand() * 5 * 365 * 24 * 60) * 60_000);
        const dueDate = DateTime.fromJSDate(dueAt, { zone: timeZone }).toISODate() as string;
        const dueValue: OccurrenceDue =
          rand() < 0.3 ? { allDay: true, date: dueDate } : { allDay: false, at: dueAt };
        // From 10 days early to 60 days late.
        const completedAt = new Date(dueAt.getTime() + Math.floor((rand() * 70 - 10) * 24 * 60) * 60_000);
        const input = { rrule, from, timeZone, due: dueValue, completedAt, position: 1 };
        if (completedAt.getTime() - dueAt.getTime() > 7 * 24 * 3_600_000) late++;
        const result = nextOccurrence(input);
        const context = JSON.stringify(input);

        expect({ context, result: result !== null }).toEqual({ context, result: true });
        if (!result) continue;
        const completionDate = DateTime.fromJSDate(completedAt, { zone: timeZone }).toISODate() as string;
        const completedLate = dueValue.allDay ? completionDate >= dueDate : completedAt >= dueAt;
        const mustFollowDue = from === 'due' || completedLate;
        if (result.allDay && dueValue.allDay) {
          if (mustFollowDue)
            expect({ context, after: result.date > dueValue.date }).toEqual({ context, after: true });
          expect({ context, open: result.date >= completionDate }).toEqual({ context, open: true });
        } else if (!result.allDay && !dueValue.allDay) {
          if (mustFollowDue)
            expect({ context, after: result.at > dueValue.at }).toEqual({ context, after: true });
          expect({ context, open: result.at > completedAt }).toEqual({ context, open: true });
        } else {
          throw new Error(`all-day changed: ${context}`);
        }
        if (from === 'due') expect({ context, result }).toEqual({ context, result: naiveNext(input) });
      }
      expect(late).toBeGreaterThan(300); // the skipping code paths are exercised
    });

    /** Walks every rule date from the due: no skipping ahead, no 400-year frame shift. */
    function naiveNext({
      rrule,
      due: dueValue,
      completedAt,
      timeZone,
    }: CompletedOccurrence): OccurrenceDue | null {
      const local = DateTime.fromJSDate(dueValue.allDay ? new Date(0) : dueValue.at, { zone: timeZone });
      const dtstart = dueValue.allDay
        ? new Date(`${dueValue.date}T00:00:00Z`)
        : new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
      const completionDate = DateTime.fromJSDate(completedAt, { zone: timeZone }).toISODate() as string;
      let found: OccurrenceDue | null = null;
      new RRule({ ...RRule.parseString(rrule), dtstart }).all((date) => {
        if (dueValue.allDay) {
          const date10 = date.toISOString().slice(0, 10);
          if (date10 > dueValue.date && date10 >= completionDate) found = { allDay: true, date: date10 };
        } else {
          const at = instantAt(date, timeZone);
          if (date > dtstart && at > dueValue.at && at > completedAt) found = { allDay: false, at };
        }
        return found === null;
      });
      return found;
    }
  });
});
