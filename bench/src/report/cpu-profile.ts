import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) read here. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample (the first: since `startTime`). */
  timeDeltas: number[];
}

type ProfileNode = CpuProfile['nodes'][number];

/** How many functions are listed by self time. */
const TOP_FUNCTIONS = 15;
const OUR_BUNDLE = /\/dist\/.*\.js$/;
const MIN_SHARE = 0.005;

/** Where a function's time goes: V8 states, node internals, an npm package, or our bundle. */
function category({ functionName, url }: ProfileNode['callFrame']): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(root)') return '(program)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (OUR_BUNDLE.test(url)) return 'our code (bundle)';
  // V8 builtins and node's C++ bindings (JSON.parse, fs reads) carry no url
  return url ? 'other scripts' : 'native';
}

/** `pg/lib/client.js:42`, `node:net:310`, `main.js:1234`: short enough for a line, exact enough to find. */
function location({ url, lineNumber }: ProfileNode['callFrame']): string {
  if (!url) return '';
  const modules = url.lastIndexOf('node_modules/');
  const file =
    modules >= 0
      ? url.slice(modules + 'node_modules/'.length)
      : url.startsWith('node:')
        ? url
        : basename(url);
  // cpuprofile line numbers are 0-based
  return `${file}:${lineNumber + 1}`;
}

/**
 * Sample i lasts until sample i + 1 (Chrome DevTools' convention), so its duration is the next delta;
 * the last one lasts until `endTime`. Returns microseconds per sample.
 */
function sampleDurations(profile: CpuProfile): number[] {
  const { samples, timeDeltas, startTime, endTime } = profile;
  const lastAt = startTime + timeDeltas.reduce((sum, delta) => sum + delta, 0);
  return samples.map((_, i) => Math.max(0, i + 1 < samples.length ? timeDeltas[i + 1] : endTime - lastAt));
}

const addTo = (totals: Map<string, number>, key: string, micros: number) =>
  totals.set(key, (totals.get(key) ?? 0) + micros);

const share = (micros: number, total: number) => `${((micros / total) * 100).toFixed(1)}%`;

const ranked = (totals: Map<string, number>) => [...totals].sort(([, a], [, b]) => b - a);

/**
 * Human lines about a `.cpuprofile`: total sampled time, self time by category (idle, GC, node internals,
 * each npm package, our bundle), the top functions by self time.
 */
export function summarizeCpuProfile(file: string): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const durations = sampleDurations(profile);
  const total = durations.reduce((sum, micros) => sum + micros, 0);
  if (!total) return [`CPU profile ${basename(file)}: no samples`];

  const selfById = new Map<number, number>();
  profile.samples.forEach((id, i) => selfById.set(id, (selfById.get(id) ?? 0) + durations[i]));
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of selfById) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    addTo(byCategory, category(frame), micros);
    // one function appears as many nodes (one per call path): add them up
    const where = location(frame);
    addTo(byFunction, `${frame.functionName || '(anonymous)'}${where ? ` (${where})` : ''}`, micros);
  }

  // small categories (a dozen d3-* helpers) are summed up so the line stays readable
  const shares = (totals: Map<string, number>) => {
    const entries = ranked(totals);
    const large = entries.filter(([, micros]) => micros / total >= MIN_SHARE);
    const shown = entries.length - large.length > 1 ? large : entries;
    const rest = entries.slice(shown.length).reduce((sum, [, micros]) => sum + micros, 0);
    const parts = shown.map(([name, micros]) => `${name} ${share(micros, total)}`);
    if (rest) parts.push(`${entries.length - shown.length} more ${share(rest, total)}`);
    return parts.join(', ');
  };
  return [
    `CPU profile ${basename(file)}: ${(total / 1e6).toFixed(2)} s sampled (${profile.samples.length} samples); shares are of that time`,
    `self time by category: ${shares(byCategory)}`,
    ...ranked(byFunction)
      .slice(0, TOP_FUNCTIONS)
      .map(([name, micros]) => `self ${share(micros, total)} — ${name}`),
  ];
}
