import type { Section } from '../results';
import type { BenchReport } from './bench-report';
import type { MachineDescription } from './machine';
import { renderComparisonTables, renderNodeComparison } from './node-comparison';

const machine = (appNode: string, loadAverage: number[]): MachineDescription => ({
  cpuModel: 'AMD EPYC',
  logicalCores: 2,
  memoryGiB: 24,
  os: 'Linux 6.1.0 x64',
  node: '20.20.2',
  appNode,
  loadAverage,
  postgres: '18.4',
});

const rest = (rates: number[], p99: number): Section => ({
  id: 'rest',
  title: 'REST mixed CRUD',
  rows: [
    { scenario: 'todo app, as fast as it answers', throughput: rates[0], latency: { p50: 150, p99 } },
    {
      scenario: `open loop at 10% of the top rate (${rates[1]} req/s)`,
      throughput: rates[1],
      latency: { p50: 4, p99: 9.5 },
    },
  ],
  targets: [{ target: 'p99 < 50 ms', measured: `p99 ${p99} ms`, met: false }],
});

const chat: Section = {
  id: 'chat',
  title: 'Chat interpret',
  rows: [{ scenario: 'interpret() alone, no HTTP', latency: { p50: 0.08, p99: 0.35 } }],
  targets: [],
};

const run = (appNode: string, sections: Section[], loadAverage = [3.12, 2.61, 2.8]): BenchReport => ({
  mode: 'full',
  startedAt: '2026-12-03T15:00:00.000Z',
  durationSeconds: 200,
  machine: machine(appNode, loadAverage),
  sections,
});

const report = {
  mode: 'full' as const,
  startedAt: '2026-12-03T15:00:00.000Z',
  durationSeconds: 600,
  runs: [
    run('20.20.2', [rest([492, 49], 347), chat]),
    run('22.23.3', [rest([541, 54], 300)], [9.5, 7, 4.25]),
    run('24.21.0', [rest([575, 58], 280), chat]),
  ],
  failed: [],
};

describe('renderComparisonTables', () => {
  const markdown = renderComparisonTables(report);

  it('names every Node the app ran on and the one the load generators ran on', () => {
    expect(markdown).toContain(
      'app on Node 20.20.2, 22.23.3, 24.21.0 · load generators and socket holders on Node 20.20.2',
    );
    expect(markdown).toContain(
      'Load average (1, 5, 15 min) when each run ended: 3.12, 2.61, 2.8 · 9.5, 7, 4.25 · 3.12, 2.61, 2.8.',
    );
    expect(markdown).toContain('Each cell: Node 20.20.2 · 22.23.3 · 24.21.0');
  });

  it('puts each row’s throughput, its change against the first Node, p50 and p99 side by side', () => {
    expect(markdown).toContain('| scenario | throughput | throughput vs Node 20.20.2 | p50 | p99 |');
    expect(markdown).toContain(
      '| todo app, as fast as it answers | 492/s · 541/s · 575/s | +10 % · +17 % | 150 ms · 150 ms · 150 ms | 347 ms · 300 ms · 280 ms |',
    );
  });

  it('matches rows by position and shows each name when they differ', () => {
    expect(markdown).toContain(
      '| open loop at 10% of the top rate (49 req/s) · open loop at 10% of the top rate (54 req/s) · open loop at 10% of the top rate (58 req/s) | 49/s · 54/s · 58/s |',
    );
  });

  it('marks a section a run did not measure, and leaves out a throughput no run has', () => {
    expect(markdown).toContain('## Chat interpret\n\n| scenario | p50 | p99 |');
    expect(markdown).toContain(
      '| interpret() alone, no HTTP | 0.08 ms · — · 0.08 ms | 0.35 ms · — · 0.35 ms |',
    );
  });

  it('names a Node whose run failed', () => {
    const failed = [{ node: '23.11.1', error: 'the bench on /usr/bin/node failed with exit code 1' }];
    expect(renderComparisonTables({ ...report, failed })).toContain(
      '❌ The run on Node 23.11.1 failed, it is left out: the bench on /usr/bin/node failed with exit code 1',
    );
  });
});

describe('renderNodeComparison', () => {
  it('follows the tables with every run in full, its headings one level down', () => {
    const markdown = renderNodeComparison(report);
    expect(markdown.indexOf('# Each run in full')).toBeGreaterThan(markdown.indexOf('## Chat interpret'));
    expect(markdown).toContain('## Benchmark, full run, started 2026-12-03T15:00:00.000Z, took 200 s');
    expect(markdown).toContain('app on Node 24.21.0 · load generators and socket holders on Node 20.20.2');
    expect(markdown).toContain('### REST mixed CRUD');
    expect(markdown.match(/^- ❌ p99 < 50 ms/gm)).toHaveLength(3);
  });
});
