import { parseBenchArgs, SCENARIOS, UsageError } from './cli';

describe('parseBenchArgs', () => {
  it('runs every scenario on the bench’s own Node by default', () => {
    expect(parseBenchArgs([])).toEqual({
      kind: 'run',
      smoke: false,
      scenarios: [...SCENARIOS],
      out: undefined,
      node: undefined,
      nodes: undefined,
    });
  });

  it('keeps the bench’s order of the scenarios, whatever the order given', () => {
    expect(parseBenchArgs(['--only', 'chat, rest'])).toMatchObject({ scenarios: ['rest', 'chat'] });
  });

  it('takes the app’s Node as a path or a version, unresolved', () => {
    expect(parseBenchArgs(['--smoke', '--only', 'chat', '--node', '/opt/node/bin/node'])).toMatchObject({
      smoke: true,
      scenarios: ['chat'],
      node: '/opt/node/bin/node',
    });
    expect(parseBenchArgs(['--node', '24'])).toMatchObject({ node: '24', nodes: undefined });
  });

  it('takes several Nodes to compare, comma-separated', () => {
    expect(parseBenchArgs(['--only', 'rest,chat', '--nodes', '20, 22,24'])).toMatchObject({
      scenarios: ['rest', 'chat'],
      nodes: ['20', '22', '24'],
      node: undefined,
    });
  });

  it.each([
    [['--only', 'rest,nope'], /unknown scenario nope/],
    [['--only', ','], /--only names no scenario/],
    [['--node', '22', '--nodes', '22,24'], /--node and --nodes exclude each other/],
    [['--node', ' '], /--node needs a Node binary path or a version/],
    [['--nodes', ' , '], /--nodes needs at least one path or version/],
    [['--nodez', '22'], /Unknown option '--nodez'/],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => parseBenchArgs(args)).toThrow(UsageError);
    expect(() => parseBenchArgs(args)).toThrow(message);
  });

  it('recognizes its internal roles and help', () => {
    expect(parseBenchArgs(['--baseline-server'])).toEqual({ kind: 'baseline-server' });
    expect(parseBenchArgs(['--socket-holder'])).toEqual({ kind: 'socket-holder' });
    expect(parseBenchArgs(['--push-service'])).toEqual({ kind: 'push-service' });
    expect(parseBenchArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
