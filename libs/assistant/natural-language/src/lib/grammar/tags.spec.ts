import { Utterance } from '../text/utterance';
import { tagsIn, takeHashtags, takeNamedTags } from './tags';

function tags(text: string) {
  const utterance = new Utterance(text);
  return { tags: [...takeHashtags(utterance), ...takeNamedTags(utterance)], rest: utterance.rest() };
}

describe('tags', () => {
  it.each([
    ['Buy milk #shopping #errands', ['shopping', 'errands']],
    ['Buy milk #Shopping #shopping', ['shopping']],
    ['Buy milk, tag shopping', ['shopping']],
    ['Buy milk tagged shopping and errands', ['shopping', 'errands']],
    ['Buy milk with tags shopping, errands', ['shopping', 'errands']],
  ])('%s → %j', (text, expected) => {
    expect(tags(text)).toEqual({ tags: expected, rest: 'Buy milk' });
  });

  it('reads "#3" as a task number, not a tag', () => {
    expect(tags('Complete #3')).toEqual({ tags: [], rest: 'Complete #3' });
  });

  it('leaves "tag" inside a title alone', () => {
    expect(tags('Buy a name tag for the conference').tags).toEqual([]);
  });

  it('reads the tag words of a phrase', () => {
    expect(tagsIn('#home and errands')).toEqual(['home', 'errands']);
  });
});
