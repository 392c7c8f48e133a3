import { Clarification, QUESTIONS } from '../questions';
import { TAKEN, Utterance } from '../text/utterance';
import type { Clock } from '../when/clock';
import { DURATION, durationOf, isoDuration } from '../when/durations';
import { takeWhen } from '../when/when';
import type { WhenParts } from '../when/when-parts';

/**
 * Reminder phrases of a new task: "remind me 1 hour before", "reminder 15 minutes before", "remind me a
 * day before and an hour before", "remind me at 4pm", "alert me tomorrow at 9am", and a bare ", remind me"
 * (at the due time). A time without a date ("at 4pm") is resolved against the due by the caller.
 */
export type ReminderPhrase = { readonly before: string } | { readonly at: WhenParts };

const REMIND = '(?:(?:\\b(?:and|with)\\s+)?(?:an?\\s+)?\\b(?:remind(?:er)?s?|alert|notify|ping)(?:\\s+me)?)';
const BEFORE_WORDS = '(?:before(?:hand)?|ahead(?:\\s+of\\s+time)?|earlier|prior|in\\s+advance)';
const OFFSET = `(${DURATION})\\s+${BEFORE_WORDS}\\b`;

const OFFSETS_CLAUSE = new RegExp(
  `${REMIND}\\s+${DURATION}\\s+${BEFORE_WORDS}(?:\\s*(?:,|and)\\s*(?:also\\s+)?${DURATION}\\s+${BEFORE_WORDS})*\\b`,
  'iu',
);
const OFFSET_IN_CLAUSE = new RegExp(OFFSET, 'giu');
/** Offsets without a reminder word, for set_reminder ("15 minutes before the standup"). */
const BARE_OFFSET = new RegExp(OFFSET, 'iu');
const AT_CLAUSE = new RegExp(
  `${REMIND}\\s+(?=(?:at|on|in|by|tomorrow|today|tonight|next|this)\\b|\\d)([^,;${TAKEN}]+)`,
  'i',
);
const AT_DUE = new RegExp(
  `(?:^|[,;]|\\band\\b|\\bwith\\b)\\s*(?:a\\s+)?(?:remind\\s+me|reminder)\\s*(?=$|[,.;!${TAKEN}])`,
  'i',
);

export function takeReminders(utterance: Utterance, clock: Clock): ReminderPhrase[] {
  const reminders: ReminderPhrase[] = utterance
    .takeEvery(OFFSETS_CLAUSE)
    .flatMap(([clause]) => [...clause.matchAll(OFFSET_IN_CLAUSE)].map(([, duration]) => before(duration)));
  for (let match = AT_CLAUSE.exec(utterance.view); match; match = AT_CLAUSE.exec(utterance.view)) {
    const clause = new Utterance(match[1]);
    const at = takeWhen(clause, clock);
    if (!at || clause.rest()) break;
    utterance.take(match.index, match.index + match[0].length);
    reminders.push({ at });
  }
  if (utterance.takeMatch(AT_DUE)) reminders.push({ before: 'PT0S' });
  return reminders;
}

/** Takes one "<duration> before" phrase (the reminder word already read). */
export function takeOffset(utterance: Utterance): string | undefined {
  const match = utterance.takeMatch(BARE_OFFSET);
  return match ? before(match[1]).before : undefined;
}

function before(duration: string): { before: string } {
  const iso = isoDuration(durationOf(duration));
  if (!iso) throw new Clarification(QUESTIONS.reminderOffset);
  return { before: iso };
}
