import { UsageError } from '../cli';
import { probeCommand, resolveNode } from './node-runtime';

describe('probeCommand', () => {
  it.each(['22', '24.11', '22.23.3'])('fetches release %s with npx', (spec) => {
    expect(probeCommand(spec)).toEqual({
      file: 'npx',
      args: ['-y', `node@${spec}`, '-p', expect.stringContaining('process.execPath')],
    });
  });

  it.each(['/usr/local/bin/node', './node', 'node'])('runs %s as a binary', (spec) => {
    expect(probeCommand(spec)).toEqual({
      file: spec,
      args: ['-p', expect.stringContaining('process.execPath')],
    });
  });
});

// npx is not asked here (it would download a Node); the release form is the command above.
describe('resolveNode', () => {
  it('asks a binary for its own path and version', () => {
    expect(resolveNode(process.execPath)).toEqual({ path: process.execPath, version: process.versions.node });
  });

  it('finds a name on PATH and reports the absolute path', () => {
    const runtime = resolveNode('node');
    expect(runtime.path).toMatch(/^\//);
    expect(runtime.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names the spec when the binary does not run', () => {
    expect(() => resolveNode('/nonexistent/bin/node')).toThrow(UsageError);
    expect(() => resolveNode('/nonexistent/bin/node')).toThrow(/--node \/nonexistent\/bin\/node: cannot run/);
  });
});
