import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { BenchReport } from './bench-report';
import { formatMs } from './format';
import { summarizeMachine } from './machine';

type VegaLite = typeof import('vega-lite', { with: { 'resolution-mode': 'import' } });
type Vega = typeof import('vega', { with: { 'resolution-mode': 'import' } });

/**
 * vega and vega-lite are ESM-only and vega-lite has a top-level await, so `require()` cannot load
 * them (ERR_REQUIRE_ASYNC_MODULE). TypeScript (module: commonjs) would turn `import()` into `require()`,
 * so the native `import()` is hidden from it in a Function; it resolves from node_modules at run time.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(
  specifier: string,
) => Promise<T>;

const PERCENTILES = ['p50', 'p95', 'p99'] as const;
const LABEL_LIMIT = 1_000;
const LABEL_FONT_SIZE = 11;
const LABEL_PADDING = 6;
const PLOT_WIDTH = 480;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

interface Bar {
  /** Section id: titles need not be unique. */
  section: string;
  scenario: string;
  percentile: (typeof PERCENTILES)[number];
  ms: number;
  label: string;
}

function bars(report: BenchReport): Bar[] {
  return report.sections.flatMap((section) =>
    section.rows.flatMap((row) =>
      PERCENTILES.flatMap((percentile) => {
        const ms = row.latency[percentile];
        // a log axis cannot show 0 or a missing figure (check-report names those)
        if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return [];
        return [{ section: section.id, scenario: row.scenario, percentile, ms, label: formatMs(ms) }];
      }),
    ),
  );
}

/** `2025-06-01 14:03 UTC`, whatever offset startedAt was written with. */
function startedAtUtc(report: BenchReport): string {
  const started = new Date(report.startedAt);
  return Number.isNaN(started.getTime())
    ? report.startedAt
    : `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const chartTitle = (report: BenchReport) => ({
  text: `Latency by scenario, ${report.mode} run of ${startedAtUtc(report)}`,
  subtitle: summarizeMachine(report.machine),
  anchor: 'start' as const,
  font: FONT,
  subtitleFont: FONT,
  fontSize: 15,
  subtitleFontSize: LABEL_FONT_SIZE,
});

function chartSpec(report: BenchReport): TopLevelSpec {
  const data = bars(report);
  if (!data.length)
    return {
      title: chartTitle(report),
      data: { values: [{ text: 'no latency figures to chart' }] },
      mark: { type: 'text', font: FONT },
      encoding: { text: { field: 'text' } },
    };
  // one shared log axis, padded so the value labels right of the longest bar stay inside the plot
  const values = data.map((bar) => bar.ms);
  const low = Math.floor(Math.log10(Math.min(...values)));
  const high = Math.max(...values) * 4;
  const domain = [10 ** low, high];
  const ticks = Array.from({ length: Math.floor(Math.log10(high)) - low + 1 }, (_, i) => 10 ** (low + i));
  const sections = [...new Set(data.map((bar) => bar.section))];
  const titles = new Map(report.sections.map(({ id, title }) => [id, title]));
  // every panel reserves the width of the longest scenario name, so the panels and their titles line up;
  // vega (without node-canvas) measures text as 0.8 × font size per character
  const labelWidth = Math.ceil(0.8 * LABEL_FONT_SIZE * Math.max(...data.map((bar) => bar.scenario.length)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chartTitle(report),
    config: {
      font: FONT,
      axis: { labelFontSize: LABEL_FONT_SIZE, titleFontSize: LABEL_FONT_SIZE },
      axisY: {
        labelLimit: LABEL_LIMIT,
        labelPadding: LABEL_PADDING,
        minExtent: labelWidth + LABEL_PADDING,
        title: null,
        ticks: false,
        domain: false,
      },
      legend: { orient: 'top', direction: 'horizontal', title: null, labelFontSize: LABEL_FONT_SIZE },
      view: { stroke: null },
    },
    data: { values: data },
    resolve: { scale: { y: 'independent', yOffset: 'independent' } },
    vconcat: sections.map((section) => ({
      title: { text: titles.get(section) ?? section, anchor: 'start', fontSize: 13, offset: 6 },
      transform: [{ filter: { field: 'section', equal: section } }],
      width: PLOT_WIDTH,
      height: { step: 12 },
      encoding: {
        // scenarios in the order the bench measured them
        y: { field: 'scenario', type: 'nominal', sort: null },
        yOffset: { field: 'percentile', type: 'nominal', sort: [...PERCENTILES] },
        x: {
          field: 'ms',
          type: 'quantitative',
          title: 'latency (ms, log scale)',
          scale: { type: 'log', domain, nice: false },
          axis: { grid: true, values: ticks, format: ',~g' },
        },
        color: {
          field: 'percentile',
          type: 'nominal',
          sort: [...PERCENTILES],
          scale: { range: ['#9ecae1', '#3182bd', '#08306b'] },
        },
      },
      layer: [
        // a log scale has no 0: bars start at the left end of the axis
        { mark: { type: 'bar', height: { band: 0.9 } }, encoding: { x2: { datum: domain[0] } } },
        {
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
          encoding: { text: { field: 'label' }, color: { value: '#333' } },
        },
      ],
    })),
  };
}

/** A horizontal grouped bar chart of p50/p95/p99 per scenario, one panel per section, as SVG. */
export async function renderChart(report: BenchReport): Promise<string> {
  return toSvg(chartSpec(report));
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const [vegaLite, vega] = await Promise.all([importEsm<VegaLite>('vega-lite'), importEsm<Vega>('vega')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Latency (p50/p95/p99) against achieved throughput of the open-loop section, as SVG; null without one. */
export async function renderOpenLoopChart(report: BenchReport): Promise<string | null> {
  const section = report.sections.find((candidate) => candidate.id === 'open-loop');
  if (!section) return null;
  const points = section.rows.flatMap((row) =>
    PERCENTILES.flatMap((percentile) => {
      const ms = row.latency[percentile];
      return row.throughput !== undefined && ms !== undefined && ms > 0
        ? [{ throughput: row.throughput, percentile, ms, closed: row.extra?.['share'] === undefined }]
        : [];
    }),
  );
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { ...chartTitle(report), text: `${section.title}: latency against throughput` },
    config: { font: FONT, axis: { labelFontSize: LABEL_FONT_SIZE, titleFontSize: LABEL_FONT_SIZE } },
    width: PLOT_WIDTH,
    height: 300,
    data: { values: points },
    encoding: {
      x: { field: 'throughput', type: 'quantitative', title: 'achieved throughput (req/s)' },
      y: {
        field: 'ms',
        type: 'quantitative',
        title: 'latency (ms, log scale)',
        scale: { type: 'log' },
        axis: { format: ',~g' },
      },
      color: {
        field: 'percentile',
        type: 'nominal',
        sort: [...PERCENTILES],
        scale: { range: ['#9ecae1', '#3182bd', '#08306b'] },
      },
    },
    layer: [
      { mark: { type: 'line', point: true }, transform: [{ filter: '!datum.closed' }] },
      // the closed-loop run that set the top rate, as a marker on its own
      {
        mark: { type: 'point', shape: 'diamond', size: 80, filled: true },
        transform: [{ filter: 'datum.closed' }],
      },
    ],
  };
  return toSvg(spec);
}
