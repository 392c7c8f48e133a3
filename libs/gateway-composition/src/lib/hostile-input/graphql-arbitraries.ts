import fc from 'fast-check';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { FuzzRequest } from './fuzz-request';
import { type FuzzTargets, hostileJson, hostileNumber, hostileString } from './hostile-values';
import { longList } from './json-schema-arbitraries';

type OperationKind = 'query' | 'mutation';

interface RootField {
  readonly kind: OperationKind;
  readonly field: GraphQLField<unknown, unknown>;
}

/** Every query and mutation field of the schema. */
export function rootFields(schema: GraphQLSchema): RootField[] {
  const of = (kind: OperationKind, type: ReturnType<GraphQLSchema['getQueryType']>) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ kind, field }));
  return [...of('query', schema.getQueryType()), ...of('mutation', schema.getMutationType())];
}

/** Every leaf under a type, objects followed to `depth` levels (what a greedy client would select). */
export function selectionFor(type: GraphQLOutputType, depth = 3): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const fields = Object.values(named.getFields())
    .filter((field) => isLeafType(getNamedType(field.type)) || depth > 1)
    .map((field) => `${field.name}${selectionFor(field.type, depth - 1)}`);
  return ` { ${fields.join(' ')} }`;
}

/** A value for an input type: mostly of the declared shape with hostile content, sometimes not. */
export function inputValue(
  type: GraphQLInputType,
  targets: FuzzTargets,
  name: string,
): fc.Arbitrary<unknown> {
  const wrong = hostileJson(targets);
  if (isNonNullType(type))
    return fc.oneof({ weight: 12, arbitrary: inputValue(type.ofType, targets, name) }, fc.constant(null));
  let declared: fc.Arbitrary<unknown>;
  if (isListType(type)) {
    const item = inputValue(type.ofType, targets, name);
    declared = fc.oneof(fc.array(item, { maxLength: 6 }), item, longList);
  } else if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    declared = fc
      .tuple(
        fc.record(
          Object.fromEntries(
            fields.map((field) => [field.name, inputValue(field.type, targets, field.name)]),
          ),
          {
            requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name),
          },
        ),
        fc.option(fc.constantFrom('userId', 'ownerId', 'id'), { freq: 6 }),
      )
      .map(([object, extra]) => (extra ? { ...object, [extra]: targets.foreignUserId } : object));
  } else if (isEnumType(type)) {
    declared = fc.constantFrom(...type.getValues().map((value) => value.name));
  } else {
    declared = scalarValue(type.name, targets, name);
  }
  return fc.oneof({ weight: 8, arbitrary: declared }, wrong);
}

function scalarValue(scalar: string, targets: FuzzTargets, name: string): fc.Arbitrary<unknown> {
  switch (scalar) {
    case 'Int':
    case 'Float':
      return hostileNumber;
    case 'Boolean':
      return fc.boolean();
    default:
      return hostileString(targets, name);
  }
}

/** A JavaScript value as a GraphQL literal (object keys unquoted, as the grammar wants). */
export function toLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${toLiteral(item)}`)
      .join(', ')}}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return JSON.stringify(value);
}

type ArgumentStyle = 'variable' | 'literal' | 'omitted';

/** Calls of one root field: every argument as a variable, inline, or left out, with hostile values. */
export function fieldRequests(root: RootField, targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const { kind, field } = root;
  const argumentCase = (arg: GraphQLArgument) =>
    fc.tuple(
      fc.constantFrom<ArgumentStyle>('variable', 'variable', 'variable', 'literal', 'omitted'),
      inputValue(arg.type, targets, arg.name),
    );
  const selection = selectionFor(field.type);
  return fc.tuple(...field.args.map(argumentCase)).map((cases) => {
    const definitions: string[] = [];
    const callArguments: string[] = [];
    const variables: Record<string, unknown> = {};
    field.args.forEach((arg, index) => {
      const [style, value] = cases[index] as [ArgumentStyle, unknown];
      if (style === 'omitted') return;
      if (style === 'literal') {
        callArguments.push(`${arg.name}: ${toLiteral(value)}`);
        return;
      }
      definitions.push(`$${arg.name}: ${String(arg.type)}`);
      callArguments.push(`${arg.name}: $${arg.name}`);
      variables[arg.name] = value;
    });
    const head = definitions.length ? `${kind} Fuzz(${definitions.join(', ')})` : kind;
    const call = callArguments.length ? `${field.name}(${callArguments.join(', ')})` : field.name;
    return {
      surface: 'graphql',
      operation: `${kind} ${field.name}`,
      method: 'POST',
      path: '/graphql',
      body: { query: `${head} { ${call}${selection} }`, variables },
      auth: 'attacker',
    };
  });
}

const repeat = (count: number, make: (index: number) => string, separator = ' ') =>
  Array.from({ length: count }, (_, index) => make(index)).join(separator);

/** Documents whose shape is the attack: breadth, depth, batching, size, cycles, transport misuse. */
export function structuralRequests(): FuzzRequest[] {
  const post = (label: string, body: unknown): FuzzRequest => ({
    surface: 'graphql',
    operation: `structure · ${label}`,
    method: 'POST',
    path: '/graphql',
    body,
    auth: 'attacker',
  });
  const taskList = 'tasks { items { id title reminders { id fireAt } } }';
  return [
    post('1,000 aliases of tasks', { query: `{ ${repeat(1_000, (i) => `a${i}: ${taskList}`)} }` }),
    post('200 aliased createTask', {
      query: `mutation { ${repeat(200, (i) => `a${i}: createTask(input: {title: "alias ${i}"}) { id }`)} }`,
    }),
    post('10,000 __typename aliases', { query: `{ ${repeat(10_000, (i) => `t${i}: __typename`)} }` }),
    post('5,000 repeated fields', { query: `{ me { ${repeat(5_000, () => 'id')} } }` }),
    post('2,000 @include directives', {
      query: `{ me ${repeat(2_000, () => '@include(if: true)')} { id } }`,
    }),
    post('nested list literal 5,000 deep', {
      query: `{ tasks(filter: {tags: ${'['.repeat(5_000)}"a"${']'.repeat(5_000)}}) { items { id } } }`,
    }),
    post('selection nested 5,000 deep', { query: `{ me ${'{ id '.repeat(5_000)}${'}'.repeat(5_000)} }` }),
    post('fragment chain 1,000 long', {
      query: `{ ...F0 } ${repeat(1_000, (i) => `fragment F${i} on Query { ...F${i + 1} }`)} fragment F1000 on Query { me { id } }`,
    }),
    post('fragment cycle', { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
    post('introspection', {
      query: '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }',
    }),
    post('1 MB document of comments', { query: `${'# x\n'.repeat(250_000)}{ me { id } }` }),
    post(
      '100 batched queries',
      Array.from({ length: 100 }, () => ({ query: `{ ${taskList} }` })),
    ),
    post('unknown operationName', {
      query: 'query A { me { id } } query B { me { email } }',
      operationName: 'C',
    }),
    post('two anonymous operations', { query: '{ me { id } } { me { email } }' }),
    post('variables as text', {
      query: 'query($r: String!) { task(ref: $r) { id } }',
      variables: '{"r":"1"}',
    }),
    post('variables as a list', { query: 'query($r: String!) { task(ref: $r) { id } }', variables: ['1'] }),
    post('query is a number', { query: 42 }),
    post('no query', { variables: {} }),
    post('subscription', { query: 'subscription { taskChanged { id } }' }),
    {
      surface: 'graphql',
      operation: 'structure · mutation over GET',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('mutation { createTask(input: {title: "via GET"}) { id } }')}`,
      auth: 'attacker',
    },
    {
      surface: 'graphql',
      operation: 'structure · application/graphql body',
      method: 'POST',
      path: '/graphql',
      rawBody: '{ me { id } }',
      headers: { 'content-type': 'application/graphql' },
      auth: 'attacker',
    },
  ];
}
