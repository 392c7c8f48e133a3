import { instantOfWallTime, wallTimeOf } from '@todo/reminders';
import { dueFromWallTime } from './wall-time';

describe('wall times', () => {
  it('gives a wall time its offset in the zone, across a DST change', () => {
    expect(dueFromWallTime('2026-11-24T17:00', 'America/New_York')).toBe('2026-11-24T17:00-05:00');
    expect(dueFromWallTime('2027-03-28T09:00', 'Europe/Berlin')).toBe('2027-03-28T09:00+02:00');
    expect(dueFromWallTime('2027-03-27T09:00', 'Europe/Berlin')).toBe('2027-03-27T09:00+01:00');
  });

  it('keeps an all-day date as a date', () => {
    expect(dueFromWallTime('2026-12-05', 'Asia/Tokyo')).toBe('2026-12-05');
  });

  it('moves a time in a DST gap forward and reads instants back as wall times', () => {
    const inGap = instantOfWallTime('2027-03-14T02:30', 'America/New_York');
    expect(wallTimeOf(inGap, 'America/New_York')).toBe('2027-03-14T03:30');
    expect(wallTimeOf(new Date('2026-11-24T22:00:00Z'), 'America/New_York')).toBe('2026-11-24T17:00');
  });
});
