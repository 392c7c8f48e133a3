import type { CreateTask, Interpretation } from '../api/contract';
import { wallTimeToInstant } from '../ui/time';

/** What the offline parser would create from the quick-add text (the add_task arguments). */
export interface QuickAddDraft {
  title: string;
  description?: string;
  due?: string;
  priority?: 'low' | 'medium' | 'high' | 'urgent';
  tags?: string[];
  recurrence?: { rrule: string; from: 'due' | 'completion' };
  reminders?: Array<{ before: string } | { at: string }>;
}

export type SegmentKind = 'title' | 'command' | 'date' | 'priority' | 'tag' | 'recurrence' | 'reminder';

export interface Segment {
  text: string;
  kind: SegmentKind;
}

/** The add_task the text reads as, or null when it reads as something else (or as a question). */
export function draftOf(interpretation: Interpretation | null): QuickAddDraft | null {
  if (!interpretation || interpretation.question) return null;
  const [call, ...rest] = interpretation.tool_calls;
  if (!call || rest.length || call.name !== 'add_task') return null;
  return call.arguments as unknown as QuickAddDraft;
}

const normalize = (word: string) => word.toLowerCase().replace(/^[^\p{L}\p{N}#]+|[^\p{L}\p{N}]+$/gu, '');
const PRIORITY_WORDS = /^(p[1-4]|urgent|urgently|high|medium|low|priority|important|asap)$/;
const REMINDER_START = /^(remind|reminder|reminders|alert|notify)$/;
const RECURRENCE_START = /^(every!?|daily|weekly|monthly|yearly|annually|weekdays|fortnightly|quarterly)$/;

/**
 * Splits the typed text into the parts the parser understood, Todoist-style: the words that became
 * the title stay plain, the rest is marked as date, priority, tag, recurrence or reminder (command
 * words such as "add a task to" before the title are dimmed).
 */
export function highlightQuickAdd(text: string, draft: QuickAddDraft | null): Segment[] {
  const tokens = [...text.matchAll(/\S+/g)].map((match) => ({ text: match[0], start: match.index ?? 0 }));
  if (!draft) return text ? [{ text, kind: 'title' }] : [];
  const titleWords = draft.title.split(/\s+/).map(normalize).filter(Boolean);
  let nextTitleWord = 0;
  let run: SegmentKind | null = null;
  const kinds: SegmentKind[] = tokens.map((token) => {
    const word = normalize(token.text);
    const raw = token.text.toLowerCase().replace(/[,.;]+$/, '');
    if (nextTitleWord < titleWords.length && word === titleWords[nextTitleWord]) {
      nextTitleWord += 1;
      run = null;
      return 'title';
    }
    if (raw.startsWith('#') && raw.length > 1) return 'tag';
    if (PRIORITY_WORDS.test(word) && draft.priority) return 'priority';
    if (REMINDER_START.test(word) && draft.reminders?.length) run = 'reminder';
    else if (RECURRENCE_START.test(raw) && draft.recurrence) run = 'recurrence';
    if (run) return run;
    return nextTitleWord === 0 ? 'command' : 'date';
  });
  const segments: Segment[] = [];
  let cursor = 0;
  tokens.forEach((token, index) => {
    const kind = kinds[index];
    const gap = text.slice(cursor, token.start);
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) last.text += gap + token.text;
    else {
      if (gap) {
        if (last) last.text += gap;
        else segments.push({ text: gap, kind: 'title' });
      }
      segments.push({ text: token.text, kind });
    }
    cursor = token.start + token.text.length;
  });
  if (cursor < text.length) {
    const last = segments[segments.length - 1];
    if (last) last.text += text.slice(cursor);
  }
  return segments;
}

/** The REST body that creates the draft: wall times of the user's zone become RFC 3339 instants. */
export function createBodyOf(draft: QuickAddDraft, zone: string): CreateTask {
  const instant = (wall: string) => (wall.length === 10 ? wall : wallTimeToInstant(wall, zone));
  return {
    title: draft.title,
    ...(draft.description ? { description: draft.description } : {}),
    ...(draft.due ? { due: instant(draft.due) } : {}),
    ...(draft.priority ? { priority: draft.priority } : {}),
    ...(draft.tags?.length ? { tags: draft.tags } : {}),
    ...(draft.recurrence ? { recurrence: draft.recurrence } : {}),
    ...(draft.reminders?.length
      ? {
          reminders: draft.reminders.map((reminder) =>
            'at' in reminder
              ? { at: instant(reminder.at.length === 10 ? `${reminder.at}T09:00` : reminder.at) }
              : reminder,
          ),
        }
      : {}),
  };
}
