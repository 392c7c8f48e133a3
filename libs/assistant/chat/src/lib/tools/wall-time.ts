import { instantOfWallTime } from '@todo/reminders';
import { DateTime } from 'luxon';

/** A tool's due (a wall time of the user's zone) in the task API's form: a date stays a date, a time gets its offset. */
export function dueFromWallTime(wall: string, timeZone: string): string {
  if (wall.length === 10) return wall;
  return DateTime.fromJSDate(instantOfWallTime(wall, timeZone), { zone: timeZone }).toISO({
    suppressMilliseconds: true,
    suppressSeconds: true,
  }) as string;
}
