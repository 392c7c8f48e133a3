import { floatingDate, instantAt, wallClockOf } from '@todo/reminders';
import { DateTime } from 'luxon';

/**
 * Tools speak wall times of the user's zone ("YYYY-MM-DD", "YYYY-MM-DDTHH:mm"); the task service
 * speaks instants. These convert between the two.
 */

const isDate = (wall: string) => wall.length === 10;

/** The instant of a wall time (a DST gap moves forward, an overlap takes the first). */
export function instantOfWallTime(wall: string, timeZone: string): Date {
  return instantAt(isDate(wall) ? floatingDate(wall) : new Date(`${wall}:00Z`), timeZone);
}

/** A tool's due (wall time) in the task API's form: a date stays a date, a time gets its offset. */
export function dueFromWallTime(wall: string, timeZone: string): string {
  if (isDate(wall)) return wall;
  return DateTime.fromJSDate(instantOfWallTime(wall, timeZone), { zone: timeZone }).toISO({
    suppressMilliseconds: true,
    suppressSeconds: true,
  }) as string;
}

/** "YYYY-MM-DDTHH:mm" of an instant in the zone. */
export function wallTimeOf(instant: Date, timeZone: string): string {
  return wallClockOf(instant, timeZone).toISOString().slice(0, 16);
}
