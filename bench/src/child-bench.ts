import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from './cli';
import type { BenchReport } from './report/bench-report';

/**
 * Runs this bench bundle again, on the Node binary `node`, for `scenarios` (its output shown as it
 * comes), and returns the report it wrote to `out`. `appNode`: its `--node`.
 */
export async function runChildBench(options: {
  node: string;
  scenarios: readonly Scenario[];
  smoke: boolean;
  out: string;
  appNode?: string;
}): Promise<BenchReport> {
  const args = [
    process.argv[1], // this bundle
    '--only',
    options.scenarios.join(','),
    '--out',
    options.out,
    ...(options.smoke ? ['--smoke'] : []),
    ...(options.appNode ? ['--node', options.appNode] : []),
  ];
  const child = spawn(options.node, args, { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(signal ? null : exitCode));
  });
  if (code !== 0)
    throw new Error(
      `the bench on ${options.node} (${args.slice(1).join(' ')}) failed with exit code ${code}`,
    );
  const report = await readFile(join(options.out, `latest-${options.smoke ? 'smoke' : 'full'}.json`), 'utf8');
  return JSON.parse(report) as BenchReport;
}
