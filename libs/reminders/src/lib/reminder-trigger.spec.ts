import { STORABLE_INSTANTS } from '@todo/validation';
import { DateTime, Settings } from 'luxon';
import type { OccurrenceDue } from './next-occurrence';
import { parseReminderOffset, reminderFireAt } from './reminder-trigger';

describe('parseReminderOffset', () => {
  it.each([
    ['PT1H', 'PT1H'],
    ['pt1h', 'PT1H'],
    [' p1d ', 'P1D'],
    ['PT15M', 'PT15M'],
    ['P1W', 'P1W'],
    ['P1DT12H', 'P1DT12H'],
    ['PT0S', 'PT0S'],
    ['PT90M', 'PT90M'],
    ['P365D', 'P365D'],
    ['P52W', 'P52W'],
    ['PT8760H', 'PT8760H'],
  ])('accepts %j as %s', (text, before) => {
    expect(parseReminderOffset(text)).toEqual({ ok: true, before });
  });

  it.each([
    ['', /must not be empty/],
    ['P1M', /months and years are ambiguous; use days or weeks, e.g\. P30D \(PT30M is 30 minutes\)/],
    ['P1Y', /months and years are ambiguous/],
    ['P1Y2DT1M', /months and years are ambiguous/],
    ['-PT1H', /must not be negative.*use "at"/],
    ['PT-1H', /must not be negative/],
    ['PT1.5H', /whole numbers, e.g\. PT90M/],
    ['PT1,5S', /whole numbers/],
    ['P', /ISO 8601 duration, e\.g\. "PT15M"/],
    ['PT', /ISO 8601 duration/],
    ['P1DT', /ISO 8601 duration/],
    ['1H', /ISO 8601 duration/],
    ['PT1H30', /ISO 8601 duration/],
    ['one hour', /ISO 8601 duration/],
    ['P366D', /at most 365 days \(P365D\)/],
    ['P53W', /at most 365 days/],
    ['PT8761H', /at most 365 days/],
  ])('rejects %j', (text, reason) => {
    const result = parseReminderOffset(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('reminderFireAt', () => {
  const BERLIN = 'Europe/Berlin';
  const timed = (text: string): OccurrenceDue => ({ allDay: false, at: new Date(text) });
  const fire = (before: string, due: OccurrenceDue, zone = BERLIN) => {
    const at = reminderFireAt({ before }, due, zone);
    return at && DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true });
  };

  it('fires an absolute reminder at its instant, with or without a due', () => {
    const at = new Date('2026-11-24T17:00:00Z');
    expect(reminderFireAt({ at }, null, BERLIN)).toBe(at);
    expect(reminderFireAt({ at }, timed('2026-11-30T09:00:00Z'), BERLIN)).toBe(at);
  });

  it('never computes a time before 1970: it fires at the earliest storable moment', () => {
    expect(reminderFireAt({ before: 'P365D' }, timed('1970-01-02T00:00:00Z'), BERLIN)).toEqual(
      STORABLE_INSTANTS.min,
    );
  });

  it('cannot fire an offset without a due', () => {
    expect(reminderFireAt({ before: 'PT1H' }, null, BERLIN)).toBeNull();
  });

  it('counts back from a timed due', () => {
    expect(fire('PT1H', timed('2026-11-24T09:00:00+01:00'))).toBe('2026-11-24T08:00:00+01:00');
    expect(fire('PT0S', timed('2026-11-24T09:00:00+01:00'))).toBe('2026-11-24T09:00:00+01:00');
    expect(fire('P1W', timed('2026-11-24T09:00:00+01:00'))).toBe('2026-11-17T09:00:00+01:00');
  });

  it('keeps the local time for days across DST, while hours are real hours', () => {
    const dueAfterChange = timed('2026-03-30T09:00:00+02:00');
    expect(fire('P1D', dueAfterChange)).toBe('2026-03-29T09:00:00+02:00');
    expect(fire('P2D', dueAfterChange)).toBe('2026-03-28T09:00:00+01:00'); // 47 real hours
    expect(fire('PT48H', dueAfterChange)).toBe('2026-03-28T08:00:00+01:00');
    expect(fire('PT1H', timed('2026-03-29T03:30:00+02:00'))).toBe('2026-03-29T01:30:00+01:00');
    expect(fire('P1D', timed('2026-10-26T09:00:00+01:00'))).toBe('2026-10-25T09:00:00+01:00');
    expect(fire('P1D', timed('2026-10-25T09:00:00+01:00'))).toBe('2026-10-24T09:00:00+02:00');
    expect(fire('P1DT1H', timed('2026-03-30T09:00:00+02:00'))).toBe('2026-03-29T08:00:00+02:00');
  });

  it('moves a skipped local time forward and reads a repeated one with the due offset', () => {
    expect(fire('P1D', timed('2026-03-30T02:30:00+02:00'))).toBe('2026-03-29T03:30:00+02:00');
    const original = Settings.now;
    try {
      for (const now of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) {
        Settings.now = () => Date.parse(now);
        expect(fire('P1D', timed('2026-11-02T01:30:00-05:00'), 'America/New_York')).toBe(
          '2026-11-01T01:30:00-05:00',
        );
      }
    } finally {
      Settings.now = original;
    }
  });

  it('counts back from the start of an all-day due in the zone', () => {
    const allDay: OccurrenceDue = { allDay: true, date: '2026-03-30' };
    expect(fire('PT0S', allDay)).toBe('2026-03-30T00:00:00+02:00');
    expect(fire('PT1H', allDay)).toBe('2026-03-29T23:00:00+02:00');
    expect(fire('P1D', allDay)).toBe('2026-03-29T00:00:00+01:00');
    expect(fire('PT1H', allDay, 'Asia/Tokyo')).toBe('2026-03-29T23:00:00+09:00');
  });

  it('refuses an offset that was never valid', () => {
    expect(() => reminderFireAt({ before: 'soon' }, timed('2026-11-24T09:00:00Z'), BERLIN)).toThrow(
      /invalid reminder offset "soon"/,
    );
  });
});
