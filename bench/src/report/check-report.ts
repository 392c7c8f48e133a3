import type { BenchReport } from './bench-report';

/**
 * Every figure that is not a finite number, as `section / scenario: p99 is NaN`, plus sections without
 * rows. The smoke run fails on any, so a broken scenario cannot pass as an empty or `NaN ms` table.
 * p50 and p99 are required; p95, max, throughput and numeric extras are checked when given.
 */
export function missingFigures(report: BenchReport): string[] {
  const missing: string[] = [];
  if (!report.sections.length) missing.push('the report has no sections');
  for (const section of report.sections) {
    if (!section.rows.length) missing.push(`${section.id}: no rows`);
    for (const { scenario, latency, throughput, extra } of section.rows) {
      const figures: Array<[string, unknown, boolean]> = [
        ['p50', latency?.p50, true],
        ['p95', latency?.p95, false],
        ['p99', latency?.p99, true],
        ['max', latency?.max, false],
        ['throughput', throughput, false],
        // strings in `extra` are labels, not figures
        ...Object.entries(extra ?? {})
          .filter(([, value]) => typeof value !== 'string')
          .map(([key, value]): [string, unknown, boolean] => [key, value, true]),
      ];
      for (const [name, value, required] of figures) {
        if (value === undefined && !required) continue;
        if (typeof value !== 'number' || !Number.isFinite(value))
          missing.push(`${section.id} / ${scenario}: ${name} is ${String(value)}`);
      }
    }
  }
  return missing;
}
