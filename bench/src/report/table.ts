import type { Section } from '../results';
import type { BenchReport } from './bench-report';
import { formatCount, formatExtra, formatMs } from './format';
import { summarizeMachine } from './machine';

/** One section as cells, shared by the Markdown and the terminal renderings. */
interface Grid {
  headers: string[];
  /** Per column: figures are right-aligned, the scenario name left-aligned. */
  right: boolean[];
  rows: string[][];
}

const ABSENT = '—';

function sectionGrid(section: Section): Grid {
  // a throughput column that would be blank on every row is left out
  const throughput = section.rows.some((row) => row.throughput !== undefined);
  const extraKeys = [...new Set(section.rows.flatMap((row) => Object.keys(row.extra ?? {})))];
  const headers = [
    'scenario',
    ...(throughput ? ['throughput'] : []),
    'p50',
    'p95',
    'p99',
    'max',
    ...extraKeys,
  ];
  const rows = section.rows.map(({ scenario, throughput: rate, latency, extra }) => [
    scenario,
    ...(throughput ? [rate === undefined ? '' : `${formatCount(rate)}/s`] : []),
    formatMs(latency.p50),
    latency.p95 === undefined ? ABSENT : formatMs(latency.p95),
    formatMs(latency.p99),
    latency.max === undefined ? ABSENT : formatMs(latency.max),
    ...extraKeys.map((key) => (extra?.[key] === undefined ? '' : formatExtra(extra[key]))),
  ]);
  return { headers, right: headers.map((_, column) => column > 0), rows };
}

const targetLine = ({ target, measured, met }: Section['targets'][number]) =>
  `${met ? '✅' : '❌'} ${target} — ${measured}`;

function heading(report: BenchReport): string {
  const duration = `${formatCount(report.durationSeconds)} s`;
  return `Benchmark, ${report.mode} run, started ${report.startedAt}, took ${duration}`;
}

export const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `level` 1: the report is the document; 2 and more: it is a part of a bigger one (its headings shift). */
export function renderMarkdown(report: BenchReport, level = 1): string {
  const lines = [`${'#'.repeat(level)} ${heading(report)}`, '', summarizeMachine(report.machine)];
  for (const section of report.sections) {
    const grid = sectionGrid(section);
    lines.push('', `${'#'.repeat(level + 1)} ${section.title}`, '');
    lines.push(`| ${grid.headers.map(escapeCell).join(' | ')} |`);
    lines.push(`| ${grid.right.map((right) => (right ? '--:' : ':--')).join(' | ')} |`);
    for (const row of grid.rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
    if (section.targets.length) lines.push('', ...section.targets.map((target) => `- ${targetLine(target)}`));
    if (section.breakdown?.length)
      lines.push('', 'Where the time goes:', '', ...section.breakdown.map((line) => `- ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/** For the terminal: space-aligned tables (console.table would quote every string). */
export function renderText(report: BenchReport): string {
  const lines = [heading(report), summarizeMachine(report.machine)];
  for (const section of report.sections) {
    const grid = sectionGrid(section);
    const widths = grid.headers.map((header, column) =>
      Math.max(header.length, ...grid.rows.map((row) => row[column].length)),
    );
    const line = (cells: string[]) =>
      cells
        .map((cell, column) =>
          grid.right[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
        )
        .join('  ')
        .trimEnd();
    lines.push('', `${section.title}`, line(grid.headers));
    lines.push(widths.map((width) => '─'.repeat(width)).join('  '));
    lines.push(...grid.rows.map(line));
    lines.push(...section.targets.map((target) => `  ${targetLine(target)}`));
    if (section.breakdown?.length)
      lines.push('  where the time goes:', ...section.breakdown.map((entry) => `    · ${entry}`));
  }
  return `${lines.join('\n')}\n`;
}
