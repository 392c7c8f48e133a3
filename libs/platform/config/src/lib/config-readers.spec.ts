// The "read by" column is proven, not just declared: for each deployable this computes, from the code,
// which variables it really reads, and compares that with each declaration's `apps`.
// - A deployable's code is its app folder's files plus every file they import a value from,
//   transitively; an import through a barrel (`@todo/…`) leads to the file that declares the value,
//   so a library's other files do not count, nor do type-only imports or test files.
// - A file reads a variable when it reads its `AppConfig` setting (found by the type checker, so
//   `config.events.kafka` passed on and read as `settings.brokers` elsewhere still counts), or reads the
//   variable from an environment by name (`env.NAME`, as the boot-time secrets source does).
// - Derived settings (`toAppConfig`'s DERIVED) read the variables their own code names.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { CONFIG_VARIABLES, type ConfigVariable, type Deployable, DEPLOYABLES } from './config-variables';

const workspace = join(__dirname, '../../../../..');
const notProduction = [/\.(spec|int-spec|e2e-spec)\.tsx?$/, /(^|\/)(testing|e2e|node_modules)\//];
// Declaring and validating a variable is not reading it.
const declaring = /^libs\/platform\/config\/src\/lib\/(config-variables|env-schema|app-config)\.ts$/;
const envRead = /\b(?:env|source)(?:\.|\[['"])([A-Z][A-Z0-9_]*)\b/g;

/** The production TypeScript files of the apps and libraries, relative to the workspace. */
function productionFiles(): string[] {
  // The browser app (apps/web) reads no server settings.
  return ['apps', 'libs'].flatMap((folder) =>
    readdirSync(join(workspace, folder), { recursive: true, encoding: 'utf8' })
      .map((entry) => `${folder}/${entry}`)
      .filter((path) => /\.ts$/.test(path) && !notProduction.some((pattern) => pattern.test(path))),
  );
}

const compilerOptions = (() => {
  const { config } = ts.readConfigFile(join(workspace, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, workspace);
  return { ...options, noEmit: true, types: ['node'] };
})();

const declarations: Record<string, ConfigVariable> = CONFIG_VARIABLES;

/**
 * Each `AppConfig` setting's variables: its own for a placed one, those its code names for a derived
 * one (the properties of `DERIVED` in app-config.ts).
 */
function variablesBySetting(appConfigFile: ts.SourceFile): Map<string, string[]> {
  const bySetting = new Map<string, string[]>();
  for (const [name, { at }] of Object.entries(declarations)) if (at) bySetting.set(at, [name]);
  const derived = appConfigFile.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations])
    .find((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === 'DERIVED');
  let literal = derived?.initializer;
  while (literal && ts.isSatisfiesExpression(literal)) literal = literal.expression;
  if (!literal || !ts.isObjectLiteralExpression(literal))
    throw new Error('app-config.ts no longer declares its derived settings as `const DERIVED = { … }`');
  for (const property of literal.properties)
    if (
      ts.isPropertyAssignment(property) &&
      (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    )
      bySetting.set(property.name.text, [
        ...new Set([...property.initializer.getText().matchAll(envRead)].map(([, name = '']) => name)),
      ]);
  return bySetting;
}

/** The last program built: a later one with one file changed reuses its other files. */
let previousProgram: ts.Program | undefined;

/** Deployable → the variables its code reads (see the header). */
function variablesReadByDeployable(source: (path: string) => string): Map<Deployable, Set<string>> {
  const host = ts.createCompilerHost(compilerOptions);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => {
    const inWorkspace = relative(workspace, path);
    return inWorkspace.startsWith('..') || inWorkspace.includes('node_modules')
      ? readFile(path)
      : source(inWorkspace);
  };
  const files = productionFiles();
  const program = ts.createProgram({
    rootNames: files.map((file) => join(workspace, file)),
    options: compilerOptions,
    host,
    oldProgram: previousProgram,
  });
  previousProgram = program;
  const checker = program.getTypeChecker();
  const sourceFile = (file: string) => program.getSourceFile(join(workspace, file));

  const appConfigFile = sourceFile('libs/platform/config/src/lib/app-config.ts');
  if (!appConfigFile) throw new Error('libs/platform/config/src/lib/app-config.ts is missing');
  const settings = variablesBySetting(appConfigFile);

  // Every object type inside AppConfig, by its path ('' for AppConfig itself).
  const appConfig = appConfigFile.statements.find(
    (statement): statement is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(statement) && statement.name.text === 'AppConfig',
  );
  if (!appConfig) throw new Error('app-config.ts no longer declares the AppConfig type');
  const subtrees = new Map<ts.Type, string>();
  const walk = (type: ts.Type, path: string) => {
    subtrees.set(type, path);
    for (const property of checker.getPropertiesOfType(type)) {
      const below = path ? `${path}.${property.name}` : property.name;
      if (!settings.has(below)) walk(checker.getTypeOfSymbol(property), below);
    }
  };
  walk(checker.getTypeAtLocation(appConfig.name), '');
  const subtreeOf = (type: ts.Type): string | undefined => {
    const defined = checker.getNonNullableType(type);
    // Pick<…>, Partial<…> of a subtree read the subtree's settings.
    const [aliased] = defined.aliasTypeArguments ?? [];
    return subtrees.get(defined) ?? (aliased && subtrees.get(aliased));
  };

  /** The variables one file reads, and the files it imports values from. */
  const scan = (file: string) => {
    const names = new Set<string>();
    const imports = new Set<string>();
    const node = sourceFile(file);
    if (!node || declaring.test(file)) return { names, imports };
    for (const [, name = ''] of source(file).matchAll(envRead)) names.add(name);
    const readSetting = (objectType: ts.Type, property: string) => {
      const path = subtreeOf(objectType);
      if (path === undefined) return;
      for (const name of settings.get(path ? `${path}.${property}` : property) ?? []) names.add(name);
    };
    const declaredIn = (imported: ts.Symbol | undefined) => {
      const symbol =
        imported && imported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(imported) : imported;
      for (const declaration of symbol?.declarations ?? [])
        imports.add(relative(workspace, declaration.getSourceFile().fileName));
    };
    const visit = (child: ts.Node): void => {
      if (ts.isImportDeclaration(child) && child.importClause && !child.importClause.isTypeOnly) {
        const { name, namedBindings } = child.importClause;
        if (name) declaredIn(checker.getSymbolAtLocation(name));
        if (namedBindings && ts.isNamedImports(namedBindings))
          for (const element of namedBindings.elements)
            if (!element.isTypeOnly) declaredIn(checker.getSymbolAtLocation(element.name));
        if (namedBindings && ts.isNamespaceImport(namedBindings)) {
          const moduleSymbol = checker.getSymbolAtLocation(child.moduleSpecifier);
          for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [])
            declaredIn(exported);
        }
      } else if (ts.isPropertyAccessExpression(child))
        readSetting(checker.getTypeAtLocation(child.expression), child.name.text);
      else if (ts.isElementAccessExpression(child) && ts.isStringLiteral(child.argumentExpression))
        readSetting(checker.getTypeAtLocation(child.expression), child.argumentExpression.text);
      else if (ts.isObjectBindingPattern(child))
        for (const element of child.elements) {
          const key = element.propertyName ?? element.name;
          if (ts.isIdentifier(key) || ts.isStringLiteral(key))
            readSetting(checker.getTypeAtLocation(child), key.text);
        }
      ts.forEachChild(child, visit);
    };
    visit(node);
    return { names, imports };
  };
  const scanned = new Map(files.map((file) => [file, scan(file)]));

  return new Map(
    DEPLOYABLES.map((deployable) => {
      const names = new Set<string>();
      const seen = new Set<string>();
      const visit = (file: string) => {
        const found = scanned.get(file);
        if (seen.has(file) || !found) return;
        seen.add(file);
        for (const name of found.names) names.add(name);
        for (const imported of found.imports) visit(imported);
      };
      for (const file of files) if (file.startsWith(`apps/${deployable}/`)) visit(file);
      if (!seen.size) throw new Error(`no files in apps/${deployable}`);
      return [deployable, names];
    }),
  );
}

/**
 * Reads the code of a deployable contains but that change nothing there, each with the reason; the
 * declaration leaves these deployables out. An entry the analysis no longer finds fails the test.
 */
const INERT_READS: Record<string, Partial<Record<Deployable, string>>> = {
  JWT_TTL_SECONDS: Object.fromEntries(
    (['chat-agent', 'scheduler', 'audit', 'realtime'] as const).map((app) => [
      app,
      'every app configures the JWT module with it; only the gateway issues tokens (sign-in, registration)',
    ]),
  ),
  CHAT_AGENT_TRANSPORT: Object.fromEntries(
    (['chat-agent', 'scheduler', 'audit', 'realtime', 'standalone'] as const).map((app) => [
      app,
      "the Dapr sidecar probe waits for the sidecar when any Dapr feature is chosen; only the gateway's chat API reaches a chat-agent",
    ]),
  ),
  CONVERSATION_STORE: Object.fromEntries(
    (['scheduler', 'audit', 'realtime'] as const).map((app) => [
      app,
      'the Dapr sidecar probe waits for the sidecar when any Dapr feature is chosen; only the assistant keeps conversations',
    ]),
  ),
  ...Object.fromEntries(
    ['CHAT_AGENT_URL', 'CHAT_AGENT_APP_ID', 'CHAT_AGENT_TIMEOUT_MS'].map((name) => [
      name,
      {
        'chat-agent':
          'its chat API module holds the remote client too; the chat-agent composes it in-process',
        standalone: 'its chat API module holds the remote client too; standalone composes it in-process',
      },
    ]),
  ),
};

/** Each declaration whose `apps` differ from the deployables that really read it. */
function misdeclared(
  readers: Map<Deployable, Set<string>>,
  declared: Record<string, ConfigVariable> = declarations,
): string[] {
  return Object.entries(declared)
    .filter(([, { readBy }]) => !readBy)
    .flatMap(([name, { apps }]) => {
      const reading = DEPLOYABLES.filter(
        (deployable) => readers.get(deployable)?.has(name) && !INERT_READS[name]?.[deployable],
      );
      const said = DEPLOYABLES.filter((deployable) => apps.includes(deployable));
      return reading.join() === said.join()
        ? []
        : [`${name}: declared for ${said.join(', ') || 'none'}, read by ${reading.join(', ') || 'none'}`];
    });
}

const onDisk = (path: string) => readFileSync(join(workspace, path), 'utf8');
const readers = variablesReadByDeployable(onDisk);

it('declares for each variable exactly the deployables whose code reads it', () => {
  expect(misdeclared(readers)).toEqual([]);
});

it('still finds each read listed as inert (else the entry is stale)', () => {
  const stale = Object.entries(INERT_READS).flatMap(([name, apps]) =>
    Object.keys(apps)
      .filter((deployable) => !readers.get(deployable as Deployable)?.has(name))
      .map((deployable) => `${name} in ${deployable}`),
  );
  expect(stale).toEqual([]);
});

it('finds reads through settings passed on, destructured or picked, and boot-time reads by name', () => {
  // KafkaEventServer reads `config.groupPrefix` of the `events.kafka` it is given; the secrets
  // source reads `source.SECRETS_SOURCE`; the chat module destructures `chat.conversations`.
  expect(readers.get('scheduler')?.has('KAFKA_GROUP_PREFIX')).toBe(true);
  expect(readers.get('gateway')?.has('SECRETS_SOURCE')).toBe(true);
  expect(readers.get('chat-agent')?.has('CONVERSATION_STORE')).toBe(true);
  expect(readers.get('realtime')?.has('GRAPHQL_MAX_COST')).toBe(false);
});

it('fails on a declaration that leaves out a deployable that reads the variable (planted)', () => {
  const planted = {
    ...declarations,
    REALTIME_MAX_CONNECTIONS_PER_USER: {
      ...CONFIG_VARIABLES.REALTIME_MAX_CONNECTIONS_PER_USER,
      apps: ['realtime'],
    },
  } as Record<string, ConfigVariable>;
  expect(misdeclared(readers, planted)).toEqual([
    'REALTIME_MAX_CONNECTIONS_PER_USER: declared for realtime, read by realtime, standalone',
  ]);
});

it('fails when code starts reading a setting in a deployable its declaration does not name (planted)', () => {
  const firing = 'libs/scheduling/src/lib/reminder-firing.ts';
  const planted = onDisk(firing).replace(
    'this.source = `/todo/${config.service}`;',
    'this.source = `/todo/${config.service}/${config.graphql.maxCost}`;',
  );
  expect(planted).not.toEqual(onDisk(firing));
  const withPlantedRead = variablesReadByDeployable((path) => (path === firing ? planted : onDisk(path)));
  expect(misdeclared(withPlantedRead)).toEqual([
    'GRAPHQL_MAX_COST: declared for gateway, standalone, read by gateway, scheduler, standalone',
  ]);
});
