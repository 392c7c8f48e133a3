import type { TOOL_PRIORITIES } from '@todo/assistant-contract';
import type { Utterance } from '../text/utterance';

/**
 * Priorities: p1 = urgent, p2 = high, p3 = medium, p4 = low; "high priority", "priority: high",
 * "top priority" (urgent); "urgent" and "important" (high). In a new task's title "urgent" and "important"
 * are words like any other ("Fix urgent bug"), so there they count only as emphasis at either end of the
 * message ("Urgent: call the bank", "call the bank, important"); in a filter or a change they count anywhere.
 */
export type Priority = (typeof TOOL_PRIORITIES)[number];

const LEVELS: Record<string, Priority> = {
  p1: 'urgent',
  p2: 'high',
  p3: 'medium',
  p4: 'low',
  1: 'urgent',
  2: 'high',
  3: 'medium',
  4: 'low',
  low: 'low',
  lowest: 'low',
  medium: 'medium',
  normal: 'medium',
  mid: 'medium',
  high: 'high',
  important: 'high',
  top: 'urgent',
  highest: 'urgent',
  urgent: 'urgent',
  urgently: 'urgent',
  critical: 'urgent',
};

const LEVEL = '(low|lowest|medium|normal|mid|high|highest|top|urgent|critical)';

const STATED = [
  /\b(?:priority\s*[:=]?\s*)?(p[1-4])\b/i,
  new RegExp(`\\b(?:(?:with|at|as)\\s+)?(?:an?\\s+)?${LEVEL}[-\\s]+priority\\b`, 'i'),
  new RegExp(`\\bpriority(?:\\s*[:=]|\\s+(?:is|to|of|as|level))?\\s*(?:${LEVEL}|([1-4])\\b)`, 'i'),
];
const EMPHASIS_WORD = '(?:very\\s+)?(important|urgent(?:ly)?)';
const EMPHASIS_AT_ENDS = [
  new RegExp(`^\\s*${EMPHASIS_WORD}\\s*[:!,–—-]+`, 'i'),
  new RegExp(`[\\s,–—-]+${EMPHASIS_WORD}\\s*[.!]*\\s*$`, 'i'),
];
const EMPHASIS_ANYWHERE = [new RegExp(`\\b${EMPHASIS_WORD}\\b`, 'i')];

export type PriorityScope = 'title' | 'anywhere';

/** Takes the first priority phrase out of the utterance. */
export function takePriority(utterance: Utterance, scope: PriorityScope): Priority | undefined {
  const patterns = [...STATED, ...(scope === 'title' ? EMPHASIS_AT_ENDS : EMPHASIS_ANYWHERE)];
  for (const pattern of patterns) {
    const match = utterance.takeMatch(pattern);
    const level = match?.slice(1).find((group) => group !== undefined);
    if (level) return LEVELS[level.toLowerCase()];
  }
  return undefined;
}

const NAMED_LEVEL =
  /^\s*(?:p[1-4]|[1-4]|low|lowest|medium|normal|mid|high|highest|top|urgent|critical|important)\s*$/i;

/** A priority given as a bare word ("set the priority of task 4 to high"). */
export function priorityNamed(word: string): Priority | undefined {
  return NAMED_LEVEL.test(word) ? LEVELS[word.trim().toLowerCase()] : undefined;
}
