// The Node.js versions the project claims and the ones it tests must be the same: package.json's
// engines floor, the images' base (tools/docker/Dockerfile), the GitHub workflow's matrix and the
// two passes of .ci/run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readYaml, workspaceRoot } from './compose-project';

const read = (path: string) => readFileSync(join(workspaceRoot, path), 'utf8');
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

const enginesFloor = major((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node);
const imageNode = major(/^ARG NODE_IMAGE=node:(\S+)$/m.exec(read('tools/docker/Dockerfile'))?.[1] ?? '');
const ciRun = read('.ci/run');
const ciVersion = (name: string) => Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(ciRun)?.[1]);

interface Workflow {
  jobs: Record<
    string,
    {
      strategy?: { matrix?: { node?: number[] } };
      steps: { uses?: string; with?: Record<string, unknown> }[];
    }
  >;
}
const workflow = readYaml(join(workspaceRoot, '.github/workflows/ci.yml')) as Workflow;

describe('Node.js versions', () => {
  it('package.json accepts Node from a floor of >= 22 (20 reached its end of life in April 2026)', () => {
    expect((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node).toMatch(
      /^>=\d+/,
    );
    expect(enginesFloor).toBeGreaterThanOrEqual(22);
  });

  it('the images run an LTS line (even major) at or above the floor', () => {
    expect(imageNode % 2).toBe(0);
    expect(imageNode).toBeGreaterThanOrEqual(enginesFloor);
  });

  it(".ci/run tests the images' version fully and the floor again", () => {
    expect({ image: ciVersion('IMAGE_NODE'), floor: ciVersion('FLOOR_NODE') }).toEqual({
      image: imageNode,
      floor: enginesFloor,
    });
  });

  it("the GitHub workflow tests the floor and the images' version, and builds images on the latter", () => {
    const matrix = workflow.jobs['affected']?.strategy?.matrix?.node ?? [];
    expect([...matrix].sort()).toEqual([...new Set([enginesFloor, imageNode])].sort());
    const setupNode = workflow.jobs['images']?.steps.find((step) =>
      step.uses?.startsWith('actions/setup-node'),
    );
    expect(setupNode?.with?.['node-version']).toBe(imageNode);
  });
});
