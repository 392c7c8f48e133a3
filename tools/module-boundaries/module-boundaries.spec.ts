// The module-boundary rules must really constrain: for every rule in eslint.config.mjs, an import that
// the rule forbids is planted into a project it governs and must fail lint.
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface DepConstraint {
  sourceTag: string;
  onlyDependOnLibsWithTags: string[];
}

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });
const aliases = Object.entries(
  JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths as Record<
    string,
    string[]
  >,
);

let graph: ProjectGraph;
let constraints: DepConstraint[];

beforeAll(async () => {
  // The Nx rule reads the cached project graph; computing it here also writes that cache.
  graph = await createProjectGraphAsync({ exitOnError: true });
  const config = await eslint.calculateConfigForFile(join(root, 'libs/tasks/src/index.ts'));
  constraints = config.rules['@nx/enforce-module-boundaries'][1].depConstraints;
});

const projects = () => Object.values(graph.nodes).filter((node) => node.name !== 'module-boundaries');
const tagsOf = (name: string) => graph.nodes[name]?.data.tags ?? [];
const aliasOf = (root: string) => aliases.find(([, [target]]) => target === `${root}/src/index.ts`)?.[0];

/** A library the rule forbids, with its import alias, or undefined when the rule allows every library. */
function forbiddenLibrary(rule: DepConstraint): { name: string; alias: string } | undefined {
  for (const node of projects()) {
    const alias = aliasOf(node.data.root);
    if (node.type !== 'lib' || !alias) continue;
    if (!node.data.tags?.some((tag) => rule.onlyDependOnLibsWithTags.includes(tag)))
      return { name: node.name, alias };
  }
  return undefined;
}

async function lintPlanted(project: string, alias: string, fileName = 'planted.ts'): Promise<string[]> {
  const file = join(root, graph.nodes[project].data.sourceRoot ?? graph.nodes[project].data.root, fileName);
  const [result] = await eslint.lintText(`import * as planted from '${alias}';\nexport default planted;\n`, {
    filePath: file,
  });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

it('every project has one type and one scope, and each has a rule', () => {
  const ruled = new Set(constraints.map((rule) => rule.sourceTag));
  for (const node of projects()) {
    const tags = tagsOf(node.name);
    const types = tags.filter((tag) => tag.startsWith('type:'));
    const scopes = tags.filter((tag) => tag.startsWith('scope:'));
    expect({ project: node.name, types: types.length, scopes: scopes.length }).toEqual({
      project: node.name,
      types: 1,
      scopes: 1,
    });
    for (const tag of tags)
      expect({ project: node.name, tag, ruled: ruled.has(tag) }).toEqual({
        project: node.name,
        tag,
        ruled: true,
      });
  }
});

it('no rule is a wildcard', () => {
  for (const rule of constraints) expect(rule.onlyDependOnLibsWithTags).not.toContain('*');
});

it('a planted import that a rule forbids fails lint, for every rule', async () => {
  const checked: string[] = [];
  for (const rule of constraints) {
    const source = projects().find((node) => tagsOf(node.name).includes(rule.sourceTag));
    const target = forbiddenLibrary(rule);
    if (!source || !target || source.name === target.name) continue;
    const messages = await lintPlanted(source.name, target.alias);
    expect({ rule: rule.sourceTag, from: source.name, to: target.name, failed: messages.length > 0 }).toEqual(
      {
        rule: rule.sourceTag,
        from: source.name,
        to: target.name,
        failed: true,
      },
    );
    checked.push(rule.sourceTag);
  }
  // Every scope rule forbids something, but for the deployables that compose every context.
  const composeEverything = ['scope:gateway', 'scope:standalone', 'scope:bench'];
  const scopeRules = constraints
    .map((rule) => rule.sourceTag)
    .filter((tag) => tag.startsWith('scope:') && !composeEverything.includes(tag));
  expect(checked).toEqual(expect.arrayContaining(scopeRules));
});

it('the scheduler cannot parse natural language (the violation that used to pass)', async () => {
  expect(await lintPlanted('scheduler', '@todo/natural-language')).toEqual([
    expect.stringContaining('can only depend on libs tagged with'),
  ]);
});

it('an allowed import passes', async () => {
  expect(await lintPlanted('scheduler', '@todo/tasks')).toEqual([]);
});

describe('integration suites (*.int-spec.ts)', () => {
  it('may compose a neighbour of another context (accounts, to sign in)', async () => {
    expect(await lintPlanted('tasks-api', '@todo/accounts', 'planted.int-spec.ts')).toEqual([]);
  });

  it('may not import a composition: a suite that needs the whole app stays with the composition', async () => {
    // Planted where the composition does not already lead (a library it depends on would report the cycle).
    expect(
      await lintPlanted('module-boundaries', '@todo/gateway-composition', 'planted.int-spec.ts'),
    ).toEqual([expect.stringContaining('can only depend on libs tagged with')]);
  });

  it('while the production code next to them still may not', async () => {
    expect(await lintPlanted('tasks-api', '@todo/accounts')).toEqual([
      expect.stringContaining('can only depend on libs tagged with'),
    ]);
  });
});
