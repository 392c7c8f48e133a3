import { addDays, type Clock } from './clock';

/** A date phrase as read: a wall date, a time of day, or both. */
export interface WhenParts {
  /** "YYYY-MM-DD" */
  readonly date?: string;
  /** "HH:mm" */
  readonly time?: string;
}

/**
 * The wall time a phrase names: a date alone is all day; a time alone is its next occurrence (today, or
 * tomorrow once it has passed).
 */
export function wallTimeFrom(parts: WhenParts, clock: Clock): string | undefined {
  const { date, time } = parts;
  if (time === undefined) return date;
  const day = date ?? (time >= clock.time ? clock.today : addDays(clock.today, 1));
  return `${day}T${time}`;
}

/** Words that lead into a date phrase and belong to it ("due", "by", "on the"…): they are taken with it. */
const LEAD =
  /(?:(?:\b(?:due|deadline|on|in|by|at|before|after|since|until|till|for|starting|from|beginning)\b|@)[\s:,]*(?:the\s+)?)+$/i;

/** Where a phrase starting at `index` begins once its lead words are included. */
export function withLead(view: string, index: number): number {
  const lead = LEAD.exec(view.slice(0, index));
  return lead ? lead.index : index;
}

/** Whether a lead word stands right before `index` ("on Fri", "by 3/4"). */
export function hasLead(view: string, index: number): boolean {
  return withLead(view, index) < index;
}
