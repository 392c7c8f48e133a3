import { type CompletedOccurrence, normalizeRrule, searchNextOccurrence } from '@todo/reminders';
import { completedOccurrences, HOSTILE_RULES, ORDINARY_RULES, ruleTexts } from '@todo/reminders/testing';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { Measurement, Section } from '../results';
import { latencyOf, summarize } from '../stats';

const TARGET_MS = 5;

/**
 * The next-occurrence search (what the scheduler runs when a recurring task is completed) over
 * ordinary rules, the hostile rules that used to block the event loop, and `rules` generated ones
 * (fast-check, fixed seed), each from `perRule` completions (any zone, due from 1970, completed
 * early or decades late). Rows: the rules normalizeRrule accepts (the target), the refused ones as if
 * stored before the check, and the write-time check itself. In this process, no I/O: each search is
 * timed by the wall clock and by this process's CPU time, which other processes on a busy machine
 * do not inflate (the target is checked on it).
 */
export function measureRecurrence(options: { rules: number; perRule: number }): Section {
  const generated = fc.sample(ruleTexts, { numRuns: options.rules, seed: 20261203 });
  const texts = [...ORDINARY_RULES, ...HOSTILE_RULES, ...generated];
  const checks: number[] = [];
  const accepted: string[] = [];
  const refused: string[] = [];
  for (const text of texts) {
    const started = performance.now();
    const check = normalizeRrule(text);
    checks.push(performance.now() - started);
    if (check.ok) accepted.push(check.rrule);
    else refused.push(text);
  }
  const occurrencesOf = (rules: string[]) =>
    rules.flatMap((rule, index) =>
      fc.sample(completedOccurrences(fc.constant(rule)), { numRuns: options.perRule, seed: index }),
    );
  search(occurrencesOf([...accepted, ...refused].slice(0, 200))); // warm-up
  const acceptedRun = search(occurrencesOf(accepted));
  const refusedRun = search(occurrencesOf(refused));
  const row = (scenario: string, run: Search[], samples: number[], rules: number): Measurement => ({
    scenario,
    latency: latencyOf(summarize(samples)),
    extra: {
      rules,
      searches: run.length,
      'budget hit': run.filter((one) => one.exhausted).length,
      'max candidates': Math.max(...run.map((one) => one.examined)),
    },
  });
  const cpu = summarize(acceptedRun.map((one) => one.cpuMs));
  const wall = summarize(acceptedRun.map((one) => one.wallMs));
  const slowest = [...acceptedRun, ...refusedRun].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 5);
  return {
    id: 'recurrence',
    title: `Next occurrence over ${texts.length} rules (${accepted.length} accepted), ${options.perRule} completions each`,
    rows: [
      row(
        'nextOccurrence, accepted rules, CPU time',
        acceptedRun,
        acceptedRun.map((one) => one.cpuMs),
        accepted.length,
      ),
      row(
        'nextOccurrence, accepted rules, wall clock',
        acceptedRun,
        acceptedRun.map((one) => one.wallMs),
        accepted.length,
      ),
      row(
        'nextOccurrence, refused rules as if stored before, CPU',
        refusedRun,
        refusedRun.map((one) => one.cpuMs),
        refused.length,
      ),
      {
        scenario: 'normalizeRrule (write-time check), wall',
        latency: latencyOf(summarize(checks)),
        extra: { rules: texts.length },
      },
    ],
    targets: [
      {
        target: `next occurrence of any accepted rule p99 < ${TARGET_MS} ms (CPU time)`,
        measured: `p99 ${cpu.p99.toFixed(2)} ms CPU, ${wall.p99.toFixed(2)} ms wall; max ${cpu.max.toFixed(2)} ms CPU`,
        met: cpu.p99 < TARGET_MS,
      },
    ],
    breakdown: [
      'Slowest searches (CPU ms, wall ms, candidates examined, rule):',
      ...slowest.map(
        (one) =>
          `${one.cpuMs.toFixed(2)}  ${one.wallMs.toFixed(2)}  ${one.examined}  ${one.rule.slice(0, 120)}`,
      ),
    ],
  };
}

interface Search {
  rule: string;
  wallMs: number;
  cpuMs: number;
  examined: number;
  exhausted: boolean;
}

function search(occurrences: CompletedOccurrence[]): Search[] {
  return occurrences.map((occurrence) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { examined, exhausted } = searchNextOccurrence(occurrence);
    const wallMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    return { rule: occurrence.rrule, wallMs, cpuMs: (user + system) / 1000, examined, exhausted };
  });
}
