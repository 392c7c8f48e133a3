import { Utterance } from './utterance';

describe('Utterance', () => {
  it('keeps positions: a match on the view is a match on the text', () => {
    const utterance = new Utterance('Buy milk tomorrow at 5pm');
    const match = utterance.takeMatch(/tomorrow/);
    expect(match?.index).toBe(9);
    expect(utterance.view).toHaveLength(utterance.text.length);
    expect(/tomorrow/.test(utterance.view)).toBe(false);
  });

  it('counts positions as regular expressions do, so emoji before a phrase shift nothing', () => {
    const utterance = new Utterance('🎂 Bake cake 🍰 tomorrow at 5pm');
    utterance.takeMatch(/tomorrow at 5pm/);
    expect(utterance.view).toHaveLength(utterance.text.length);
    expect(utterance.rest()).toBe('🎂 Bake cake 🍰');
  });

  it.each([
    ['Prepare slides by next Monday, high priority', ['next Monday', 'high priority'], 'Prepare slides'],
    ['Create task: Submit report, due tomorrow', ['Create task:', 'tomorrow'], 'Submit report'],
    ['Remind me tomorrow at 9 to call mom', ['Remind me', 'tomorrow at 9'], 'call mom'],
    ['Call the dentist on Friday about the bill', ['Friday'], 'Call the dentist about the bill'],
    ['Buy paprika and cumin', [], 'Buy paprika and cumin'],
  ])('the rest of %s is the title', (text, phrases, rest) => {
    const utterance = new Utterance(text);
    for (const phrase of phrases) {
      const start = text.indexOf(phrase);
      utterance.take(start, start + phrase.length);
    }
    expect(utterance.rest()).toBe(rest);
  });
});
