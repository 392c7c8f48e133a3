/** One measured line of the report. Latencies are milliseconds. */
export interface Measurement {
  scenario: string;
  /** Requests (or events) per second achieved, where the scenario has a rate. */
  throughput?: number;
  latency: { p50: number; p95?: number; p99: number; max?: number };
  /** Scenario-specific figures shown after the latencies, e.g. `{ lost: 0, duplicates: 0 }`. */
  extra?: Record<string, number | string>;
}

/** An ARCHITECTURE §9 target and whether this run met it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface Section {
  id: string;
  title: string;
  rows: Measurement[];
  targets: TargetCheck[];
  /** Where the time goes, for a scenario whose target was missed (profile or breakdown). */
  breakdown?: string[];
}
