import { fixTypos } from './typos';

describe('fixTypos', () => {
  it.each([
    ['call mom tomorow', 'call mom tomorrow'],
    ['Tommorow at 5pm', 'Tomorrow at 5pm'],
    ['dentist on wendesday', 'dentist on wednesday'],
    ['remind me evry day', 'remind me every day'],
    ['water plants everyday', 'water plants every day'],
  ])('%s → %s', (text, fixed) => {
    expect(fixTypos(text)).toBe(fixed);
  });

  it('fixes whole words only', () => {
    expect(fixTypos('Mint tea and minimal design')).toBe('Mint tea and minimal design');
  });
});
