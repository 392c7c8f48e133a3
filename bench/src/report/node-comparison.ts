import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Measurement, Section } from '../results';
import type { BenchReport } from './bench-report';
import { formatCount, formatMs } from './format';
import { summarizeMachine } from './machine';
import { escapeCell, renderMarkdown } from './table';
import { fileStamp } from './write-report';

/** `npm run bench -- --nodes …`: the same scenarios once per Node.js the app ran on. */
export interface NodeComparisonReport {
  mode: BenchReport['mode'];
  /** ISO 8601 timestamp of the start of the first run. */
  startedAt: string;
  durationSeconds: number;
  /** One full report per Node.js, in the order asked for; each run had a fresh database and app. */
  runs: BenchReport[];
  /** The Node versions whose run failed (their output said why), not in `runs`. */
  failed: Array<{ node: string; error: string }>;
}

const ABSENT = '—';
/** Between the figures of the Node versions in one cell. */
const BETWEEN = ' · ';

/** Markdown: the comparison tables, then every run's full report. */
export function renderNodeComparison(report: NodeComparisonReport): string {
  const lines = [renderComparisonTables(report).trimEnd(), '', '# Each run in full'];
  for (const run of report.runs) lines.push('', renderMarkdown(run, 2).trimEnd());
  return `${lines.join('\n')}\n`;
}

/**
 * Markdown: per section, one table whose cells hold each Node's figure in the order of the runs
 * (throughput, its change against the first Node, p50, p99).
 * Rows are matched by position (their names can carry measured figures, e.g. an open-loop rate).
 */
export function renderComparisonTables(report: NodeComparisonReport): string {
  const versions = report.runs.map((run) => run.machine.appNode);
  const [first] = report.runs;
  const lines = [
    `# Benchmark across Node versions, ${report.mode} run, started ${report.startedAt}, took ${formatCount(report.durationSeconds)} s`,
    '',
    // the load differs from run to run: each one's is on the next line
    summarizeMachine({ ...first.machine, appNode: versions.join(', ') }, { loadAverage: false }),
    '',
    `Each cell: Node ${versions.join(BETWEEN)}, one run each in that order, each on a fresh database and app.`,
    `Load average (1, 5, 15 min) when each run ended: ${report.runs.map((run) => run.machine.loadAverage.join(', ')).join(BETWEEN)}.`,
    ...report.failed.map(
      ({ node, error }) => `\n❌ The run on Node ${node} failed, it is left out: ${error}`,
    ),
  ];
  for (const id of [...new Set(report.runs.flatMap((run) => run.sections.map((section) => section.id)))]) {
    const sections = report.runs.map((run) => run.sections.find((section) => section.id === id));
    const title = sections.find((section) => section)?.title ?? id;
    lines.push('', `## ${title}`, '', ...comparisonTable(sections, versions[0]));
  }
  return `${lines.join('\n')}\n`;
}

function comparisonTable(sections: Array<Section | undefined>, firstVersion: string): string[] {
  const rowCount = Math.max(...sections.map((section) => section?.rows.length ?? 0));
  const hasThroughput = sections.some((section) => section?.rows.some((row) => row.throughput !== undefined));
  const comparesRates = hasThroughput && sections.length > 1;
  const headers = [
    'scenario',
    ...(hasThroughput ? ['throughput'] : []),
    ...(comparesRates ? [`throughput vs Node ${firstVersion}`] : []),
    'p50',
    'p99',
  ];
  const rows = Array.from({ length: rowCount }, (_, index) => {
    const cells = sections.map((section) => section?.rows[index]);
    const names = [...new Set(cells.flatMap((cell) => (cell ? [cell.scenario] : [])))];
    const each = (figure: (row: Measurement) => string) =>
      cells.map((cell) => (cell ? figure(cell) : ABSENT)).join(BETWEEN);
    const baseRate = cells[0]?.throughput;
    return [
      names.join(BETWEEN),
      ...(hasThroughput
        ? [each((row) => (row.throughput === undefined ? ABSENT : `${formatCount(row.throughput)}/s`))]
        : []),
      ...(comparesRates
        ? [
            cells
              .slice(1)
              .map((cell) =>
                cell?.throughput === undefined || !baseRate
                  ? ABSENT
                  : percentChange(cell.throughput / baseRate),
              )
              .join(BETWEEN),
          ]
        : []),
      each((row) => formatMs(row.latency.p50)),
      each((row) => formatMs(row.latency.p99)),
    ];
  });
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((_, column) => (column ? '--:' : ':--')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
}

const percentChange = (ratio: number) =>
  `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(0)} %`;

/**
 * Writes `<startedAt>-<mode>-node-versions.json` (kept) and `latest-<mode>-node-versions.json|md`
 * (overwritten each time). Returns the paths written.
 */
export async function writeNodeComparison(report: NodeComparisonReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const name = `${report.mode}-node-versions`;
  const files: Array<[string, string]> = [
    [`${fileStamp(report.startedAt)}-${name}.json`, json],
    [`latest-${name}.json`, json],
    [`latest-${name}.md`, renderNodeComparison(report)],
  ];
  const paths = files.map(([file]) => join(dir, file));
  await Promise.all(files.map(([, content], index) => writeFile(paths[index], content)));
  return paths;
}
