import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from './bench-report';
import { renderChart, renderOpenLoopChart } from './chart';
import { renderMarkdown } from './table';

/**
 * Writes `<startedAt>-<mode>.json` (kept, so runs can be compared later) and `latest-<mode>.json|md|svg`
 * (overwritten each run), and `latest-<mode>-open-loop.svg` (latency against throughput) when the run had
 * the open-loop scenario. Returns the paths written.
 */
export async function writeReport(report: BenchReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = fileStamp(report.startedAt);
  const files: Array<[string, string]> = [
    [`${stamp}-${report.mode}.json`, json],
    [`latest-${report.mode}.json`, json],
    [`latest-${report.mode}.md`, renderMarkdown(report)],
    [`latest-${report.mode}.svg`, await renderChart(report)],
  ];
  const openLoop = await renderOpenLoopChart(report);
  if (openLoop) files.push([`latest-${report.mode}-open-loop.svg`, openLoop]);
  const paths = files.map(([name]) => join(dir, name));
  await Promise.all(files.map(([, content], index) => writeFile(paths[index], content)));
  return paths;
}

/** `2026-12-03T15:04:05.123Z` → `2026-12-03T15-04-05Z`: `:` is not allowed in Windows file names and awkward in shells. */
export function fileStamp(startedAt: string): string {
  return startedAt.replace(/\.\d+(?=Z|[+-]\d\d:?\d\d$)/, '').replace(/:/g, '-');
}
