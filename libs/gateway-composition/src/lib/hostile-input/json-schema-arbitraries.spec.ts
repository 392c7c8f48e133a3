import { TOOL_DEFINITIONS } from '@todo/assistant-contract';
import fc from 'fast-check';
import { SAMPLE_TARGETS } from './sample-targets';
import { fromJsonSchema, type JsonSchema } from './json-schema-arbitraries';

const targets = SAMPLE_TARGETS;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

describe('fromJsonSchema', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      title: { type: 'string' },
      status: { type: 'string', enum: ['pending', 'completed'] },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 20 },
    },
    required: ['title'],
    additionalProperties: false,
  };
  const values = fc.sample(fromJsonSchema(schema, targets), { seed: 1, numRuns: 500 });
  const objects = values.filter(isObject);

  it('mostly keeps the declared shape so requests get past validation', () => {
    expect(objects.length).toBeGreaterThan(350);
    expect(objects.filter((value) => 'title' in value).length).toBeGreaterThan(300);
    expect(objects.some((value) => value['status'] === 'pending' || value['status'] === 'completed')).toBe(
      true,
    );
    expect(objects.some((value) => [0, 1, 100, 101].includes(value['limit'] as number))).toBe(true);
  });

  it('also sends wrong types, missing required keys, undeclared keys and huge lists', () => {
    expect(values.some((value) => !isObject(value))).toBe(true);
    expect(objects.some((value) => !('title' in value))).toBe(true);
    expect(
      objects.some((value) => Object.keys(value).some((key) => !(key in (schema.properties ?? {})))),
    ).toBe(true);
    expect(objects.some((value) => Object.hasOwn(value, '__proto__'))).toBe(true);
    expect(objects.some((value) => Array.isArray(value['tags']) && value['tags'].length === 1_000)).toBe(
      true,
    );
  });

  it("fills strings with hostile text: NUL, lone surrogates, edge instants, the other user's ids", () => {
    const strings = objects.map((value) => value['title']).filter((title) => typeof title === 'string');
    expect(strings.some((text) => text.includes('\u0000'))).toBe(true);
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    expect(strings.some((text) => loneSurrogate.test(text))).toBe(true);
    expect(strings.some((text) => text.startsWith('0001-01-01'))).toBe(true);
    expect(strings.some((text) => text === targets.foreignTaskRefs[1])).toBe(true);
  });

  it('handles every tool input schema the MCP server publishes, and its values serialize as JSON', () => {
    for (const tool of TOOL_DEFINITIONS) {
      const sampled = fc.sample(fromJsonSchema(tool.inputSchema as JsonSchema, targets), {
        seed: 2,
        numRuns: 100,
      });
      for (const value of sampled) expect(() => JSON.stringify(value)).not.toThrow();
    }
  });
});
