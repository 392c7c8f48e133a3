import { isStorableInstant } from '@todo/validation';
import { DateTime, IANAZone } from 'luxon';

/**
 * Wall-clock times as "floating" Dates: a Date whose UTC fields are the wall fields (09:00 in Berlin is
 * `09:00Z`). Calendar math on them has no DST, which is what recurrence and "1 day before" mean.
 *
 * Converting a wall time back to an instant follows RFC 5545 §3.3.5, deterministically:
 * - a time in a spring-forward gap (02:30 when clocks jump 02:00 → 03:00) is read with the offset before
 *   the gap, so it moves forward by the gap's length (02:30 → 03:30);
 * - a time in a fall-back overlap (01:30 happening twice) is the first of the two (the daylight-time one).
 * luxon's `DateTime.fromObject` agrees on gaps but resolves overlaps with the offset in effect *now*, so
 * its answer would change with the season the code runs in; hence our own resolution.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Zone names found valid so far; only valid ones are kept, so the set stays as small as the zone database. */
const knownZones = new Set<string>();

/** An IANA zone name this runtime knows. Cached: each check builds an Intl formatter, costly per request. */
export function isTimeZone(name: string): boolean {
  if (knownZones.has(name)) return true;
  if (!IANAZone.isValidZone(name)) return false;
  knownZones.add(name);
  return true;
}

function zoneNamed(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  return zone;
}

/** The wall time of an instant in the zone, as a floating Date. */
export function wallClockOf(instant: Date, timeZone: string): Date {
  return new Date(instant.getTime() + zoneNamed(timeZone).offset(instant.getTime()) * MINUTE_MS);
}

/** The instant a floating wall time denotes in the zone (gaps move forward, overlaps take the first). */
export function instantAt(wallClock: Date, timeZone: string): Date {
  const zone = zoneNamed(timeZone);
  const local = wallClock.getTime();
  // Offsets are within ±14 h, so the instant is within a day of `local`: one day either side sees the
  // offsets before and after any transition near it.
  const offsets = [zone.offset(local - DAY_MS), zone.offset(local + DAY_MS)];
  const valid = offsets.filter((offset) => zone.offset(local - offset * MINUTE_MS) === offset);
  if (valid.length) return new Date(local - Math.max(...valid) * MINUTE_MS);
  // In a gap: clocks jump forward because the offset grows, so the offset before the gap is the smaller.
  return new Date(local - Math.min(...offsets) * MINUTE_MS);
}

/** Midnight of a `YYYY-MM-DD` date as a floating Date. */
export function floatingDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "YYYY-MM-DDTHH:mm" of an instant in the zone: the wall-time form the assistant's tools speak. */
export function wallTimeOf(instant: Date, timeZone: string): string {
  return wallClockOf(instant, timeZone).toISOString().slice(0, 16);
}

/** The instant of a wall time "YYYY-MM-DD" (its start) or "YYYY-MM-DDTHH:mm" in the zone. */
export function instantOfWallTime(wall: string, timeZone: string): Date {
  return wall.length === 10 ? startOfDay(wall, timeZone) : instantAt(new Date(`${wall}:00Z`), timeZone);
}

/** The `YYYY-MM-DD` date of a floating Date. */
export function dateOf(wallClock: Date): string {
  return wallClock.toISOString().slice(0, 10);
}

/** The calendar date an instant falls on in the zone. */
export function dateIn(instant: Date, timeZone: string): string {
  return dateOf(wallClockOf(instant, timeZone));
}

/** When a date's day begins in the zone (not always 00:00: some zones skip midnight). */
export function startOfDay(date: string, timeZone: string): Date {
  return instantAt(floatingDate(date), timeZone);
}

// Hours 00–23 (luxon would read 24:00 as the next day) in the time and in the offset.
const INSTANT_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** An RFC 3339 date-time with an offset (`Z` or `±hh:mm`) that is a real moment (checked by luxon). */
export function isInstantWithOffset(text: string): boolean {
  return INSTANT_WITH_OFFSET.test(text) && DateTime.fromISO(text, { setZone: true }).isValid;
}

/** The moment of an RFC 3339 date-time with offset (check it with {@link isInstantWithOffset} first). */
export const instantOf = (text: string): Date => DateTime.fromISO(text, { setZone: true }).toJSDate();

/** A date-time with offset whose moment may be stored (see STORABLE_INSTANTS). */
export const isStorableInstantText = (text: string): boolean => isStorableInstant(instantOf(text));
