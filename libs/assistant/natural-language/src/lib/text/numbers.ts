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

const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  last: -1,
};

/** The value of an ordinal: "1st", "third", "last" (-1). */
export function ordinalOf(text: string): number {
  const normalized = text.toLowerCase();
  return ORDINAL_WORDS[normalized] ?? parseInt(normalized, 10);
}
