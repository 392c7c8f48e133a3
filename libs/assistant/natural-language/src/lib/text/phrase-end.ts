import { TAKEN } from './utterance';

/**
 * A regex source (lookahead) for "the phrase ends here": the end, punctuation, a taken phrase, a tag,
 * a time, or a word that starts another field. Words that look like dates or repeats only count when
 * they end a phrase: "on the 2nd" is a date, "on the 2nd floor" is not; "review weekly" repeats,
 * "weekly review" does not.
 */
export const PHRASE_ENDS = `(?=\\s*(?:$|[,.;!?${TAKEN}#]|(?:at|and|by|on|from|starting|p[1-4]|every|remind(?:er)?|tag(?:ged)?)\\b|\\d{1,2}(?::\\d{2})?\\s*(?:am|pm)\\b))`;
