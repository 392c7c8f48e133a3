import { DateTime, Settings } from 'luxon';
import {
  dateIn,
  instantAt,
  isInstantWithOffset,
  isStorableInstantText,
  startOfDay,
  wallClockOf,
} from './wall-clock';

const wall = (text: string) => new Date(`${text}Z`);
const local = (instant: Date, zone: string) =>
  DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true });

describe('wall clock', () => {
  it('reads an instant as wall time in the zone', () => {
    expect(wallClockOf(new Date('2026-03-29T07:00:00Z'), 'Europe/Berlin')).toEqual(
      wall('2026-03-29T09:00:00'),
    );
    expect(wallClockOf(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual(
      wall('2026-11-01T01:30:00'),
    );
  });

  it.each([
    ['Europe/Berlin', '2026-07-01T09:00:00', '2026-07-01T09:00:00+02:00'],
    ['Europe/Berlin', '2026-12-01T09:00:00', '2026-12-01T09:00:00+01:00'],
    ['Asia/Kolkata', '2026-12-01T09:00:00', '2026-12-01T09:00:00+05:30'],
  ])('turns an ordinary wall time in %s into its instant', (zone, text, expected) => {
    expect(local(instantAt(wall(text), zone), zone)).toBe(expected);
  });

  it.each([
    // Spring forward: the gap is read with the offset before it, i.e. moved forward by the gap.
    ['Europe/Berlin', '2026-03-29T02:30:00', '2026-03-29T03:30:00+02:00'],
    ['America/New_York', '2026-03-08T02:30:00', '2026-03-08T03:30:00-04:00'],
    ['Australia/Sydney', '2026-10-04T02:30:00', '2026-10-04T03:30:00+11:00'],
    ['Australia/Lord_Howe', '2026-10-04T02:15:00', '2026-10-04T02:45:00+11:00'], // a 30-minute gap
    // Fall back: the first of the two (daylight time).
    ['Europe/Berlin', '2026-10-25T02:30:00', '2026-10-25T02:30:00+02:00'],
    ['America/New_York', '2026-11-01T01:30:00', '2026-11-01T01:30:00-04:00'],
    ['Australia/Sydney', '2026-04-05T02:30:00', '2026-04-05T02:30:00+11:00'],
  ])('resolves %s %s to %s', (zone, text, expected) => {
    expect(local(instantAt(wall(text), zone), zone)).toBe(expected);
  });

  it('does not depend on the season the code runs in (luxon guesses overlaps from the current offset)', () => {
    const original = Settings.now;
    try {
      const results = ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'].map((now) => {
        Settings.now = () => Date.parse(now);
        return ['Europe/Berlin', 'Australia/Sydney'].map((zone) =>
          instantAt(wall(zone === 'Europe/Berlin' ? '2026-10-25T02:30:00' : '2026-04-05T02:30:00'), zone),
        );
      });
      expect(results[0]).toEqual(results[1]);
    } finally {
      Settings.now = original;
    }
  });

  it('round-trips every wall time that exists once', () => {
    for (let hour = 0; hour < 24; hour++) {
      const text = `2026-03-08T${String(hour).padStart(2, '0')}:15:00`;
      if (hour === 2) continue; // the gap in New York
      expect(wallClockOf(instantAt(wall(text), 'America/New_York'), 'America/New_York')).toEqual(wall(text));
    }
  });

  it('finds dates and day starts in the zone', () => {
    expect(dateIn(new Date('2026-11-10T20:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-11');
    expect(dateIn(new Date('2026-11-10T20:00:00Z'), 'America/New_York')).toBe('2026-11-10');
    expect(local(startOfDay('2026-03-29', 'Europe/Berlin'), 'Europe/Berlin')).toBe(
      '2026-03-29T00:00:00+01:00',
    );
    // Havana springs forward at midnight: the day starts at 01:00.
    expect(local(startOfDay('2026-03-08', 'America/Havana'), 'America/Havana')).toBe(
      '2026-03-08T01:00:00-04:00',
    );
  });

  it('rejects an unknown zone', () => {
    expect(() => wallClockOf(new Date(), 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });

  it('reads only real RFC 3339 times with offset: no hour 24, no offset of 24 hours', () => {
    expect(
      ['2026-11-24T17:00:00Z', '2026-11-24T23:59:59.5-05:00', '2026-11-24T00:00+14:00'].map(
        isInstantWithOffset,
      ),
    ).toEqual([true, true, true]);
    expect(
      [
        '2026-11-24T24:00:00Z',
        '2026-11-24T10:00:00+24:00',
        '2026-11-24T10:60:00Z',
        '2026-02-30T10:00:00Z',
        '2026-11-24T10:00:00',
      ].map(isInstantWithOffset),
    ).toEqual([false, false, false, false, false]);
  });

  it('tells whether a time with offset lies in the storable years', () => {
    expect(isStorableInstantText('1970-01-01T00:00:00Z')).toBe(true);
    expect(isStorableInstantText('1970-01-01T00:00:00+14:00')).toBe(false);
    expect(isStorableInstantText('0001-01-01T00:00:00+14:00')).toBe(false);
    expect(isStorableInstantText('9999-12-31T23:00:00-14:00')).toBe(false);
  });
});
