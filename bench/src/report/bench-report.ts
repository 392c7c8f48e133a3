import type { Section } from '../results';
import type { MachineDescription } from './machine';

/** Everything one bench run produced; written as JSON and rendered as Markdown, text and SVG. */
export interface BenchReport {
  mode: 'full' | 'smoke';
  /** ISO 8601 timestamp of the start of the run. */
  startedAt: string;
  durationSeconds: number;
  machine: MachineDescription;
  sections: Section[];
}
