import { hasQuote, maskQuotes, startsWithQuote, unmaskQuotes } from './quotes';

describe('quotes', () => {
  it.each([
    ['Add "Meet at 5" as a task', ['Meet at 5']],
    ['Add “Meet at 5” and ‘Call Bob’', ['Meet at 5', 'Call Bob']],
    ["Change task 1 to 'Call mom tonight'", ['Call mom tonight']],
    ["Change task 1 to 'Fix mom's car'", ["Fix mom's car"]],
  ])('masks the quoted parts of %s', (text, quotes) => {
    const masked = maskQuotes(text);
    expect(masked.quotes).toEqual(quotes);
    expect(hasQuote(masked.text)).toBe(true);
    for (const quote of quotes) expect(masked.text).not.toContain(quote);
  });

  it.each(["What's pending?", "I've finished the kids' homework", 'Buy 2" nails'])(
    'leaves apostrophes and lone quote marks alone: %s',
    (text) => {
      expect(maskQuotes(text)).toEqual({ text, quotes: [] });
    },
  );

  it('puts a whole-phrase quote back without its quotes, a quote inside a phrase with them', () => {
    const { text, quotes } = maskQuotes('Read "The 5th Wave"');
    const [, mark] = text.split(' ');
    expect(unmaskQuotes(mark, quotes)).toBe('The 5th Wave');
    expect(unmaskQuotes(text, quotes)).toBe('Read "The 5th Wave"');
    expect(startsWithQuote(mark)).toBe(true);
    expect(startsWithQuote(text)).toBe(false);
  });
});
