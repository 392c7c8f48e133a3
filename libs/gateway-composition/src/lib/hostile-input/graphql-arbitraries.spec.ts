import fc from 'fast-check';
import { buildSchema, parse, parseValue, validate } from 'graphql';
import {
  fieldRequests,
  rootFields,
  selectionFor,
  structuralRequests,
  toLiteral,
} from './graphql-arbitraries';
import { SAMPLE_TARGETS } from './sample-targets';

const schema = buildSchema(`
  type Reminder { id: ID! fireAt: String }
  type Task { id: ID! title: String! reminders: [Reminder!]! }
  input TaskFilter { q: String limit: Int tags: [String!] }
  input CreateTaskInput { title: String! due: String }
  type Query { task(ref: String!): Task! tasks(filter: TaskFilter): [Task!]! me: String! }
  type Mutation { createTask(input: CreateTaskInput!): Task! }
`);

const targets = SAMPLE_TARGETS;

describe('graphql arbitraries', () => {
  it('lists every query and mutation', () => {
    expect(rootFields(schema).map(({ kind, field }) => `${kind} ${field.name}`)).toEqual([
      'query task',
      'query tasks',
      'query me',
      'mutation createTask',
    ]);
  });

  it('selects every leaf, following objects and lists', () => {
    const task = schema.getQueryType()?.getFields()['task'];
    expect(task && selectionFor(task.type)).toBe(' { id title reminders { id fireAt } }');
  });

  it('writes values as GraphQL literals', () => {
    expect(toLiteral({ title: 'a"b', tags: ['x', null], limit: 5, deep: { on: true } })).toBe(
      '{title: "a\\"b", tags: ["x", null], limit: 5, deep: {on: true}}',
    );
    expect(() => parseValue(toLiteral({ q: '\u0000😀', limit: -1.5e300 }))).not.toThrow();
  });

  it('calls each field with hostile arguments as variables or literals; most calls are valid documents', () => {
    for (const root of rootFields(schema)) {
      const requests = fc.sample(fieldRequests(root, targets), { seed: 5, numRuns: 200 });
      const valid = requests.filter((request) => {
        const { query } = request.body as { query: string };
        try {
          return validate(schema, parse(query)).length === 0;
        } catch {
          return false;
        }
      });
      expect({ field: root.field.name, mostlyValid: valid.length > 100 }).toEqual({
        field: root.field.name,
        mostlyValid: true,
      });
      if (root.field.args.length)
        expect(
          requests.some((request) => Object.keys((request.body as { variables: object }).variables).length),
        ).toBe(true);
    }
  });

  it('has structural attacks that are documents of the advertised size', () => {
    const attacks = structuralRequests();
    const aliases = attacks.find((attack) => attack.operation === 'structure · 1,000 aliases of tasks');
    expect(parse((aliases?.body as { query: string }).query).definitions).toHaveLength(1);
    expect(attacks.find((attack) => attack.operation.includes('batched'))?.body).toHaveLength(100);
  });
});
