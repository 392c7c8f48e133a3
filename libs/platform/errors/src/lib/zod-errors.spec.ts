import { z } from 'zod';
import { ValidationError } from './app-errors';
import { parseOrThrow } from './zod-errors';

const schema = z.strictObject({ time_zone: z.string().min(1, 'must not be empty'), name: z.string() });

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(parseOrThrow(schema, { time_zone: 'UTC', name: 'Ann' })).toEqual({
      time_zone: 'UTC',
      name: 'Ann',
    });
  });

  it('reports every problem with the field path, in snake_case for REST', () => {
    const attempt = () => parseOrThrow(schema, { time_zone: '', name: 3, extra_field: true });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow('unknown field: extra_field');
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).details.map((d) => d.path)).toEqual(['time_zone', 'name', '']);
      expect((error as ValidationError).status).toBe(400);
    }
  });

  it('speaks camelCase to GraphQL callers', () => {
    expect(() => parseOrThrow(schema, { time_zone: '', name: 'x' }, 'camel')).toThrow(
      'timeZone: must not be empty',
    );
  });

  it('refuses text PostgreSQL cannot store in any field, whatever the schema says', () => {
    expect(() => parseOrThrow(schema, { time_zone: 'UTC', name: 'a\u0000b' })).toThrow(
      'name: must not contain NUL characters',
    );
    expect(() => parseOrThrow(z.unknown(), { nested: [{ time_zone: '\ud800' }] }, 'camel')).toThrow(
      'nested.0.timeZone: must be well-formed Unicode',
    );
  });
});
