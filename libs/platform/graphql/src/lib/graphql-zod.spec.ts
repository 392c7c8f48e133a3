import 'reflect-metadata';
import { z } from 'zod';
import { fromGraphqlInput, graphqlTypeOf, toGraphqlObject } from './graphql-zod';

const note = z
  .object({
    id: z.uuid(),
    body: z.string().describe('The text'),
    word_count: z.number().int(),
    pinned_at: z.iso.datetime({ offset: true }).nullable(),
    kind: z.enum(['plain', 'list']),
  })
  .meta({ id: 'SpecNote' });

/** The fields themselves are checked end to end by the GraphQL suites of the libraries that use them. */
describe('graphqlTypeOf', () => {
  it('returns one class per name and refuses two shapes under one name', () => {
    expect(graphqlTypeOf(note, 'object')).toBe(graphqlTypeOf(note, 'object'));
    expect(() => graphqlTypeOf(z.object({ other: z.string() }), 'object', { name: 'SpecNote' })).toThrow(
      'Two different GraphQL object types are named SpecNote',
    );
  });
});

describe('wire values and GraphQL values', () => {
  it('camelCases keys and turns date-times into Dates for the DateTime scalar', () => {
    expect(
      toGraphqlObject(note, { id: 'x', word_count: 2, pinned_at: '2026-01-02T03:04:05.000Z', kind: 'plain' }),
    ).toEqual({ id: 'x', wordCount: 2, pinnedAt: new Date('2026-01-02T03:04:05.000Z'), kind: 'plain' });
  });

  it('snake_cases input keys, leaving values alone', () => {
    expect(fromGraphqlInput({ tagMatch: 'any', tags: ['someTag'], nested: [{ allowPast: true }] })).toEqual({
      tag_match: 'any',
      tags: ['someTag'],
      nested: [{ allow_past: true }],
    });
  });
});
