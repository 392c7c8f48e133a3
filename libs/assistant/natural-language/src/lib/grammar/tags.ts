import { PHRASE_ENDS } from '../text/phrase-end';
import type { Utterance } from '../text/utterance';

/**
 * Tags: "#work" anywhere (a "#" before a number is a task number, not a tag), and "tag work",
 * "tagged work and home", "with tags work, home", "label errands" where the words end a phrase (so "a
 * name tag for the conference" keeps its words). Hashtags are taken before any other grammar (so
 * "#monday" is no date), named tags after the dates (so "tag work tomorrow" ends at "work").
 */
const WORD = '#?\\p{L}[\\p{L}\\p{N}_-]*';
const HASHTAG = /(?<![\p{L}\p{N}_&#])#(\p{L}[\p{L}\p{N}_-]*)/u;
const NAMED = new RegExp(
  `\\b(?:with\\s+(?:the\\s+)?)?(?:tag(?:ged|s)?|label(?:l?ed|s)?)(?:\\s+(?:with|as))?\\s+(${WORD}(?:\\s*(?:,|and|&)\\s*${WORD})*)${PHRASE_ENDS}`,
  'iu',
);
const TAG_WORD = new RegExp(WORD, 'gu');
const CONNECTOR = /^(?:and|with|as)$/i;

export function takeHashtags(utterance: Utterance): string[] {
  return tagList(utterance.takeEvery(HASHTAG).map(([, tag]) => tag));
}

export function takeNamedTags(utterance: Utterance): string[] {
  return tagList(utterance.takeEvery(NAMED).flatMap(([, words]) => tagsIn(words)));
}

/** Tags as the contract wants them: lowercase, without "#", each once, in the order given. */
function tagList(words: readonly string[]): string[] {
  return [...new Set(words.map((word) => word.replace(/^#/, '').toLowerCase()))];
}

/** The tag words of a phrase such as "#home and errands, work". */
export function tagsIn(phrase: string): string[] {
  return tagList(phrase.match(TAG_WORD)?.filter((word) => !CONNECTOR.test(word)) ?? []);
}
