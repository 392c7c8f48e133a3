// Dates in the user's zone, in words relative to now ("Tomorrow 17:00", "Fri", "3 Dec 2027").

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayKeyFormatter(zone: string) {
  let formatter = dayFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormatters.set(zone, formatter);
  }
  return formatter;
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function dayOf(instant: Date, zone: string): string {
  return dayKeyFormatter(zone).format(instant);
}

/** `HH:mm` of an instant in a zone. */
export function timeOf(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

const dayNumber = (day: string) =>
  Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 86_400_000;

/** Words for a calendar day relative to today: Today, Tomorrow, Yesterday, a weekday, or a date. */
export function dayInWords(day: string, today: string): string {
  const diff = dayNumber(day) - dayNumber(today);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Tomorrow';
  if (diff === -1) return 'Yesterday';
  const date = new Date(dayNumber(day) * 86_400_000);
  if (diff > 1 && diff < 7) return date.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: 'UTC',
  });
}

/** A task's due (`YYYY-MM-DD` all day, or an RFC 3339 instant) in words, in the user's zone. */
export function dueInWords(due: string, zone: string, now = new Date()): string {
  const today = dayOf(now, zone);
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return dayInWords(due, today);
  const instant = new Date(due);
  return `${dayInWords(dayOf(instant, zone), today)} ${timeOf(instant, zone)}`;
}

/** Offset of a zone at an instant, in minutes east of UTC. */
function offsetMinutes(instant: Date, zone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (+match[2] * 60 + +match[3]) : 0;
}

const pad = (value: number) => String(Math.abs(value)).padStart(2, '0');

/** A wall time `YYYY-MM-DDTHH:mm` in a zone as RFC 3339 with that zone's offset then. */
export function wallTimeToInstant(wall: string, zone: string): string {
  const asUtc = new Date(`${wall}:00Z`);
  let offset = offsetMinutes(asUtc, zone);
  offset = offsetMinutes(new Date(asUtc.getTime() - offset * 60_000), zone);
  const sign = offset < 0 ? '-' : '+';
  return `${wall}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** An instant as the wall time `YYYY-MM-DDTHH:mm` of a zone (for date and time inputs). */
export function instantToWallTime(instant: string, zone: string): string {
  const date = new Date(instant);
  return `${dayOf(date, zone)}T${timeOf(date, zone)}`;
}

/** The browser's IANA time zone. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
