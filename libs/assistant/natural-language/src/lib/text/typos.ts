/**
 * Cheap typo tolerance: common misspellings and shorthands of the words the grammars rely on, fixed
 * word by word before parsing. Only words that cannot be anything else are listed.
 */
const CORRECTIONS: Record<string, string> = {
  tomorow: 'tomorrow',
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tomorroww: 'tomorrow',
  tomrrow: 'tomorrow',
  tomorrw: 'tomorrow',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmw: 'tomorrow',
  '2morrow': 'tomorrow',
  '2moro': 'tomorrow',
  tonite: 'tonight',
  tonihgt: 'tonight',
  tody: 'today',
  todya: 'today',
  mondy: 'monday',
  monady: 'monday',
  tues: 'tuesday',
  weds: 'wednesday',
  tuseday: 'tuesday',
  tuesay: 'tuesday',
  teusday: 'tuesday',
  wendesday: 'wednesday',
  wednsday: 'wednesday',
  wensday: 'wednesday',
  wedensday: 'wednesday',
  wednesay: 'wednesday',
  thrusday: 'thursday',
  thursay: 'thursday',
  thurday: 'thursday',
  firday: 'friday',
  fridya: 'friday',
  saturaday: 'saturday',
  satruday: 'saturday',
  sundya: 'sunday',
  evrey: 'every',
  evry: 'every',
  everyday: 'every day',
  remidn: 'remind',
  remnd: 'remind',
  rmind: 'remind',
  reminde: 'remind',
  priorty: 'priority',
  prority: 'priority',
  priortiy: 'priority',
  minuts: 'minutes',
  mintues: 'minutes',
  minutues: 'minutes',
  hous: 'hours',
  tsk: 'task',
  taks: 'task',
  tsaks: 'tasks',
};

const MISSPELLED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${Object.keys(CORRECTIONS).join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);

export function fixTypos(text: string): string {
  return text.replace(MISSPELLED, (word) => {
    const fixed = CORRECTIONS[word.toLowerCase()] ?? word;
    return word[0] === word[0].toUpperCase() && /\p{L}/u.test(word[0])
      ? fixed[0].toUpperCase() + fixed.slice(1)
      : fixed;
  });
}
