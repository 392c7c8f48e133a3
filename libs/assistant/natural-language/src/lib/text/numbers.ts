/** Numbers as people write them in amounts and task numbers: digits or words ("two hours", "task three"). */
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  'forty-five': 45,
  'forty five': 45,
  sixty: 60,
  ninety: 90,
  'a couple of': 2,
  'couple of': 2,
};

const byLengthDescending = (a: string, b: string) => b.length - a.length;

/** A regex source for a count: digits (decimals allowed) or a number word. */
export const COUNT = `(?:\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).sort(byLengthDescending).join('|')})`;

/** A regex source for a whole number (a task number, an interval): digits or a single number word. */
export const WHOLE_NUMBER = `(?:\\d+|${Object.keys(NUMBER_WORDS)
  .filter((word) => word !== 'a' && word !== 'an' && !word.includes(' '))
  .sort(byLengthDescending)
  .join('|')})`;

/** The value of a COUNT or WHOLE_NUMBER match. */
export function countOf(text: string): number {
  const normalized = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return NUMBER_WORDS[normalized] ?? Number(normalized);
}

const UNIT_ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const TEEN_ORDINALS = ['tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth'];
const ORDINAL_WORDS: Record<string, number> = {
  ...Object.fromEntries(UNIT_ORDINALS.map((word, index) => [word, index + 1])),
  ...Object.fromEntries(TEEN_ORDINALS.map((word, index) => [word, index + 10])),
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  ...Object.fromEntries(UNIT_ORDINALS.map((word, index) => [`twenty-${word}`, index + 21])),
  thirtieth: 30,
  'thirty-first': 31,
  last: -1,
};

/** A regex source for a day of the month as an ordinal word ("first" … "thirty-first"), longest first. */
export const ORDINAL_DAY_WORD = `(?:${Object.keys(ORDINAL_WORDS)
  .filter((word) => word !== 'last')
  .sort(byLengthDescending)
  .map((word) => word.replace('-', '[\\s-]'))
  .join('|')})`;

/** The value of an ordinal: "1st", "third", "twenty first", "last" (-1). */
export function ordinalOf(text: string): number {
  const normalized = text.toLowerCase().replace(/\s+/, '-');
  return ORDINAL_WORDS[normalized] ?? parseInt(normalized, 10);
}
