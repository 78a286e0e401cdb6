/**
 * Charts of the commands that run many simulations: compare (each metric by alternative
 * with its confidence interval, the paired differences, cost against p95), sweep (the
 * cost-vs-p95 frontier, and each metric along a single varied field) and plan (every
 * formation it tried on the cost-vs-SLO plane, the answer marked).
 */
import { METRICS, type MetricKey } from '../../studies/parallel/outcome.ts';
import type { Comparison } from '../../studies/compare/compare.ts';
import type { PointResult } from '../../studies/sweep/tables.ts';
import type { SweepSpec } from '../../studies/sweep/grid.ts';
import type { PlanResult, Probe } from '../../studies/plan/search.ts';
import type { Slo } from '../../studies/plan/slo.ts';
import { formationLabel } from '../report/plan.ts';
import { HEIGHT, WIDTH, topLevel, type Chart, type VlSpec } from './chart.ts';

type Unit = (typeof METRICS)[number]['unit'];

/** Metrics worth a panel, in order, with how to show them. */
const PANELS: ReadonlyArray<{ key: MetricKey; title: string }> = [
  { key: 'p95', title: 'p95 latency (ms)' },
  { key: 'p99', title: 'p99 latency (ms)' },
  { key: 'queue.mean', title: 'mean queue time (ms)' },
  { key: 'errors', title: 'error rate (%)' },
  { key: 'monthly', title: 'monthly cost (USD)' },
  { key: 'dynos', title: 'mean web dynos' },
];

/** A metric's value as charted: shares as percent, the rest as they are. */
function shown(value: number | null, unit: Unit): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return round4(unit === 'share' ? value * 100 : value);
}

function unitOf(key: MetricKey): Unit {
  return METRICS.find((m) => m.key === key)!.unit;
}

// ---- compare ----

export function compareCharts(c: Comparison): Chart[] {
  const names = c.alternatives.map((a) => a.name);
  const level = Math.round(c.setup.level * 100);
  const panels: VlSpec[] = [];
  for (const p of PANELS) {
    const mc = c.metrics.find((m) => m.metric.key === p.key);
    if (mc === undefined) continue;
    const unit = unitOf(p.key);
    // Every metric is at least 0 and a share at most 100%: an interval reaching past is cut there, so no axis shows an impossible value.
    const rows = mc.estimates
      .map((e, i) => ({ alternative: names[i], mean: shown(e.mean, unit), lo: bounded(shown(e.lo ?? e.mean, unit), unit), hi: bounded(shown(e.hi ?? e.mean, unit), unit), order: i }))
      .filter((r) => r.mean !== null);
    if (rows.length === 0) continue;
    panels.push({
      width: 300,
      height: { step: 26 },
      title: { text: p.title, fontSize: 12 },
      data: { values: rows },
      layer: [
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: yAlt(names), x: { field: 'lo', type: 'quantitative', title: null, scale: panelScale(unit), axis: PANEL_AXIS }, x2: { field: 'hi' }, color: colourAlt(names) } },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            y: yAlt(names),
            x: { field: 'mean', type: 'quantitative' },
            color: colourAlt(names),
            tooltip: [{ field: 'alternative' }, { field: 'mean', title: p.title, format: ',.3~f' }, { field: 'lo', title: `${level}% low`, format: ',.3~f' }, { field: 'hi', title: `${level}% high`, format: ',.3~f' }],
          },
        },
      ],
    });
  }
  const metrics: Chart = {
    name: 'compare-metrics',
    title: 'Each metric by alternative',
    caption: `Means over ${c.setup.replications} replications with their ${level}% confidence intervals (Student's t). Intervals that do not overlap are a real difference; for the paired view see the next chart.`,
    spec: topLevel('Each metric by alternative', `mean and ${level}% interval over ${c.setup.replications} replications`, { columns: 2, concat: panels, resolve: { scale: { color: 'shared' } } }),
  };
  const ref = names[0]!;
  const diffs: Array<{ alternative: string; metric: string; pct: number; lo: number; hi: number; verdict: string }> = [];
  for (const p of PANELS) {
    const mc = c.metrics.find((m) => m.metric.key === p.key);
    if (mc === undefined) continue;
    mc.differences.forEach((d, i) => {
      if (d === null || d.mean === null || d.pct === null) return;
      const better = METRICS.find((m) => m.key === p.key)!.better;
      const verdict = !d.significant ? 'not significant' : (d.mean < 0) === (better === 'lower') ? 'better' : 'worse';
      // The change's own interval (from the ratio, on the log scale): never below −100%.
      diffs.push({ alternative: names[i]!, metric: bare(p.title), pct: round4(d.pct), lo: round4(Math.max(-100, d.pctLo ?? d.pct)), hi: round4(d.pctHi ?? d.pct), verdict });
    });
  }
  const charts = [metrics];
  if (diffs.length > 0) {
    charts.push({
      name: 'compare-differences',
      title: `Paired differences against ${ref}`,
      caption: `Each alternative's change against ${ref}: the ratio of the two, replication by replication under the same random numbers, less 1, with its ${level}% interval (taken on the log scale, so it never reaches −100%). Green: significantly better; red: significantly worse; grey: within the noise.`,
      spec: topLevel(`Change against ${ref}`, `paired difference, % of ${ref}, ${level}% interval`, {
        data: { values: diffs },
        facet: { row: { field: 'metric', type: 'nominal', title: null, sort: PANELS.map((p) => bare(p.title)), header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } } },
        spec: {
          width: WIDTH - 200,
          height: { step: 20 },
          layer: [
            { mark: { type: 'rule', color: '#888' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
            { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'alternative', type: 'nominal', title: null, sort: names }, x: { field: 'lo', type: 'quantitative', title: `change against ${ref} (%)` }, x2: { field: 'hi' }, color: verdictColour() } },
            {
              mark: { type: 'point', filled: true, size: 60 },
              encoding: {
                y: { field: 'alternative', type: 'nominal', sort: names },
                x: { field: 'pct', type: 'quantitative' },
                color: verdictColour(),
                tooltip: [{ field: 'alternative' }, { field: 'metric' }, { field: 'pct', title: 'change (%)', format: '+,.1f' }, { field: 'lo', title: `${level}% low (%)`, format: '+,.1f' }, { field: 'hi', title: `${level}% high (%)`, format: '+,.1f' }, { field: 'verdict' }],
              },
            },
          ],
        },
        resolve: { scale: { x: 'independent' } },
      }),
    });
  }
  const cost = c.metrics.find((m) => m.metric.key === 'monthly');
  const p95 = c.metrics.find((m) => m.metric.key === 'p95');
  if (cost !== undefined && p95 !== undefined) {
    const rows = names
      .map((name, i) => ({ alternative: name, usd: cost.estimates[i]!.mean, usdLo: cost.estimates[i]!.lo ?? cost.estimates[i]!.mean, usdHi: cost.estimates[i]!.hi ?? cost.estimates[i]!.mean, ms: p95.estimates[i]!.mean, msLo: p95.estimates[i]!.lo ?? p95.estimates[i]!.mean, msHi: p95.estimates[i]!.hi ?? p95.estimates[i]!.mean }))
      .filter((r) => r.usd !== null && r.ms !== null);
    charts.push(costLatencyChart('compare-cost-latency', 'Cost against p95 latency', `Each alternative's monthly cost and p95 latency (means with ${level}% intervals both ways). Down and to the left is better: an alternative above and to the right of another is beaten on both.`, rows, names));
  }
  return charts;
}

/** A charted figure cut to what its unit allows: at least 0, and at most 100 for a share (shown in %). */
function bounded(x: number | null, unit: Unit): number | null {
  if (x === null) return null;
  return Math.min(unit === 'share' ? 100 : Infinity, Math.max(0, x));
}

/** A panel's x scale: shares from 0% (an error rate's axis never starts below it), the rest fitted to the data, which is never below 0. */
function panelScale(unit: Unit): VlSpec {
  return unit === 'share' ? { zero: true, domainMin: 0 } : { zero: false, nice: true };
}

/**
 * A panel's x axis, 300 px wide: five ticks at most, labels without trailing zeros ("1.5",
 * not "1.50"), and labels that would touch dropped rather than drawn over each other.
 */
const PANEL_AXIS: VlSpec = { tickCount: 5, format: ',.4~r', labelOverlap: 'greedy', labelSeparation: 6 };

/** A panel title without its unit: "p95 latency (ms)" → "p95 latency". */
function bare(title: string): string {
  return title.replace(/ \(.*\)$/, '');
}

function yAlt(names: readonly string[]): VlSpec {
  return { field: 'alternative', type: 'nominal', title: null, sort: names };
}

function colourAlt(names: readonly string[]): VlSpec {
  return { field: 'alternative', type: 'nominal', title: 'alternative', sort: names, legend: null };
}

function verdictColour(): VlSpec {
  return { field: 'verdict', type: 'nominal', title: null, scale: { domain: ['better', 'worse', 'not significant'], range: ['#2e7d32', '#c62828', '#9e9e9e'] } };
}

type CostLatencyRow = { alternative: string; usd: number | null; usdLo: number | null; usdHi: number | null; ms: number | null; msLo: number | null; msHi: number | null };

function costLatencyChart(name: string, title: string, caption: string, rows: CostLatencyRow[], names: readonly string[]): Chart {
  const r4 = (x: number | null): number | null => (x === null ? null : round4(x));
  // Cost and latency are never below 0: nor are their intervals' low ends, nor the axes.
  const r4plus = (x: number | null): number | null => (x === null ? null : round4(Math.max(0, x)));
  const values = rows.map((r) => ({ alternative: r.alternative, usd: r4(r.usd), usdLo: r4plus(r.usdLo), usdHi: r4(r.usdHi), ms: r4(r.ms), msLo: r4plus(r.msLo), msHi: r4(r.msHi) }));
  return {
    name,
    title,
    caption,
    spec: topLevel(title, 'monthly cost (USD) and p95 latency (ms), means with intervals', {
      width: WIDTH - 120,
      height: HEIGHT + 60,
      data: { values },
      layer: [
        { mark: { type: 'rule', opacity: 0.6 }, encoding: { x: { field: 'usdLo', type: 'quantitative' }, x2: { field: 'usdHi' }, y: { field: 'ms', type: 'quantitative' }, color: colourAlt(names) } },
        { mark: { type: 'rule', opacity: 0.6 }, encoding: { y: { field: 'msLo', type: 'quantitative' }, y2: { field: 'msHi' }, x: { field: 'usd', type: 'quantitative' }, color: colourAlt(names) } },
        {
          mark: { type: 'point', filled: true, size: 90 },
          encoding: {
            x: { field: 'usd', type: 'quantitative', title: 'monthly cost (USD)', scale: { zero: false, nice: true }, axis: { format: '$,.0f' } },
            y: { field: 'ms', type: 'quantitative', title: 'p95 latency (ms)', scale: { zero: false, nice: true } },
            color: colourAlt(names),
            tooltip: [{ field: 'alternative' }, { field: 'usd', title: 'USD/month', format: '$,.2f' }, { field: 'ms', title: 'p95 (ms)', format: ',.1f' }],
          },
        },
        { mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 }, encoding: { x: { field: 'usd', type: 'quantitative' }, y: { field: 'ms', type: 'quantitative' }, text: { field: 'alternative' } } },
      ],
    }),
  };
}

// ---- sweep ----

/** The frontier: points no other point beats on both cost and p95 (ties kept). */
export function frontier<T extends { usd: number; ms: number }>(points: readonly T[]): Set<T> {
  const out = new Set<T>();
  for (const p of points) {
    if (!points.some((q) => q !== p && q.usd <= p.usd && q.ms <= p.ms && (q.usd < p.usd || q.ms < p.ms))) out.add(p);
  }
  return out;
}

export function sweepCharts(spec: SweepSpec, points: readonly PointResult[]): Chart[] {
  const label = (p: PointResult): string => spec.axes.map((a, i) => `${shortPath(a.path)}=${p.cells[i]}`).join(', ');
  const rows = points
    .map((p) => ({ point: label(p), usd: p.metrics.monthly?.mean ?? null, ms: p.metrics.p95?.mean ?? null, errors: shown(p.metrics.errors?.mean ?? null, 'share') }))
    .filter((r): r is { point: string; usd: number; ms: number; errors: number | null } => r.usd !== null && r.ms !== null);
  const front = frontier(rows);
  const values = rows.map((r) => ({ ...r, usd: round4(r.usd), ms: round4(r.ms), frontier: front.has(r) ? 'on the frontier' : 'beaten' }));
  const line = values.filter((r) => r.frontier === 'on the frontier').sort((a, b) => a.usd - b.usd || b.ms - a.ms);
  const charts: Chart[] = [
    {
      name: 'sweep-frontier',
      title: 'Cost against p95 latency: the frontier',
      caption: `Every point of the sweep by monthly cost and p95 latency (means over ${spec.replications} replication${spec.replications === 1 ? '' : 's'}). The line joins the points no other point beats on both: ${line.length} of ${values.length}. Pick along it the cheapest point whose latency you can live with.`,
      spec: topLevel('Cost against p95 latency', `${values.length} points, ${spec.axes.map((a) => a.path).join(' × ')}`, {
        width: WIDTH - 120,
        height: HEIGHT + 60,
        layer: [
          { data: { values: line }, mark: { type: 'line', color: '#e45756', strokeWidth: 1.5, interpolate: 'step-after' }, encoding: { x: { field: 'usd', type: 'quantitative' }, y: { field: 'ms', type: 'quantitative' } } },
          {
            data: { values },
            mark: { type: 'point', filled: true, size: 60 },
            encoding: {
              x: { field: 'usd', type: 'quantitative', title: 'monthly cost (USD)', scale: { zero: false, nice: true }, axis: { format: '$,.0f' } },
              y: { field: 'ms', type: 'quantitative', title: 'p95 latency (ms)', scale: { type: 'log' } },
              color: { field: 'frontier', type: 'nominal', title: null, scale: { domain: ['on the frontier', 'beaten'], range: ['#e45756', '#9e9e9e'] } },
              tooltip: [{ field: 'point', title: 'point' }, { field: 'usd', title: 'USD/month', format: '$,.2f' }, { field: 'ms', title: 'p95 (ms)', format: ',.1f' }, { field: 'errors', title: 'errors (%)', format: '.3f' }],
            },
          },
          ...(line.length <= 25 ? [{ data: { values: line }, mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10, color: '#333' }, encoding: { x: { field: 'usd', type: 'quantitative' }, y: { field: 'ms', type: 'quantitative' }, text: { field: 'point' } } }] : []),
        ],
      }),
    },
  ];
  if (spec.axes.length === 1) {
    const axis = spec.axes[0]!;
    const numeric = axis.values.every((v) => Number.isFinite(Number(v)));
    const along: Array<Record<string, unknown>> = [];
    for (const p of points) {
      for (const k of ['p95', 'errors', 'monthly'] as const) {
        const m = p.metrics[k];
        if (m === null) continue;
        const unit = unitOf(k);
        along.push({ x: numeric ? Number(p.cells[0]) : p.cells[0], metric: PANELS.find((q) => q.key === k)!.title, mean: shown(m.mean, unit), lo: shown(m.lo, unit), hi: shown(m.hi, unit) });
      }
    }
    const xEnc = { field: 'x', type: numeric ? 'quantitative' : 'ordinal', title: axis.path, sort: numeric ? undefined : axis.values, scale: numeric ? { zero: false } : undefined };
    charts.push({
      name: 'sweep-metrics',
      title: `Latency, errors and cost along ${axis.path}`,
      caption: `Means with 95% intervals over ${spec.replications} replication${spec.replications === 1 ? '' : 's'} at each value of ${axis.path}.`,
      spec: topLevel(`Along ${axis.path}`, 'means with 95% intervals', {
        data: { values: along },
        facet: { row: { field: 'metric', type: 'nominal', title: null, sort: ['p95 latency (ms)', 'error rate (%)', 'monthly cost (USD)'], header: { labelAngle: 0, labelAlign: 'left' } } },
        spec: {
          width: WIDTH - 160,
          height: 140,
          layer: [
            { mark: { type: 'area', opacity: 0.2, color: '#4c78a8' }, encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false } }, y2: { field: 'hi' } } },
            { mark: { type: 'line', point: true, color: '#4c78a8' }, encoding: { x: xEnc, y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'x', title: axis.path }, { field: 'metric' }, { field: 'mean', format: ',.3~f' }, { field: 'lo', format: ',.3~f' }, { field: 'hi', format: ',.3~f' }] } },
          ],
        },
        resolve: { scale: { y: 'independent' } },
      }),
    });
  }
  return charts;
}

function shortPath(path: string): string {
  return path.replace(/^formation\./, '');
}

// ---- plan ----

export function planCharts(slos: readonly Slo[], plan: PlanResult): Chart[] {
  const slo = slos[0];
  if (slo === undefined) return [];
  const unit = slo.unit as Unit;
  const answerProbe = plan.answer?.probe ?? null;
  const rows = plan.probes
    .map((p: Probe) => {
      const check = p.checks.find((c) => c.slo === slo) ?? p.checks[0];
      return {
        formation: formationLabel(p.combo, p.n),
        usd: p.monthly === null ? null : round4(p.monthly),
        value: shown(check?.mean ?? null, unit),
        bound: shown(check?.bound ?? null, unit),
        status: p === answerProbe ? 'the answer' : p.feasible ? 'meets every SLO' : 'misses an SLO',
        order: p.order,
      };
    })
    .filter((r) => r.usd !== null && r.value !== null);
  const limit = shown(slo.limit, unit)!;
  const yTitle = `${slo.metric}${unit === 'share' ? ' (%)' : unit === 'ms' ? ' (ms)' : unit === 'usd' ? ' (USD)' : ''}`;
  const answer = rows.filter((r) => r.status === 'the answer');
  return [
    {
      name: 'plan-frontier',
      title: 'Formations tried, by cost and SLO',
      caption: `Every formation the search ran (${plan.probes.length} in all, ${plan.simulations} simulations), by monthly cost and ${slo.metric}: the dot is the mean, the bar reaches the one-sided 95% bound the SLO is judged on. The dashed line is the SLO (${slo.text}).${answer.length > 0 ? ` The answer, ${answer[0]!.formation}, is the cheapest formation meeting every SLO.` : ' No formation met every SLO.'}`,
      spec: topLevel('Formations tried', `monthly cost against ${slo.text}${slos.length > 1 ? ` (and ${slos.length - 1} more SLO${slos.length > 2 ? 's' : ''})` : ''}`, {
        width: WIDTH - 160,
        height: HEIGHT + 60,
        layer: [
          {
            data: { values: [{ y: limit, label: `SLO ${slo.text}` }] },
            layer: [
              { mark: { type: 'rule', color: '#c62828', strokeDash: [6, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
              { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#c62828', fontSize: 10 }, encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
            ],
          },
          { data: { values: rows }, mark: { type: 'rule', opacity: 0.5 }, encoding: { x: { field: 'usd', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, y2: { field: 'bound' }, color: statusColour() } },
          {
            data: { values: rows },
            mark: { type: 'point', filled: true, size: 60 },
            encoding: {
              x: { field: 'usd', type: 'quantitative', title: 'monthly cost (USD)', scale: { zero: false, nice: true }, axis: { format: '$,.0f' } },
              y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
              color: statusColour(),
              shape: { field: 'status', type: 'nominal', legend: null, scale: { domain: ['the answer', 'meets every SLO', 'misses an SLO'], range: ['diamond', 'circle', 'circle'] } },
              tooltip: [{ field: 'formation' }, { field: 'usd', title: 'USD/month', format: '$,.2f' }, { field: 'value', title: `${slo.metric} mean`, format: ',.3~f' }, { field: 'bound', title: '95% bound', format: ',.3~f' }, { field: 'status' }, { field: 'order', title: 'probe #' }],
            },
          },
          { data: { values: answer }, mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontSize: 11, fontWeight: 'bold', color: '#2e7d32' }, encoding: { x: { field: 'usd', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, text: { field: 'formation' } } },
        ],
      }),
    },
  ];
}

function statusColour(): VlSpec {
  return { field: 'status', type: 'nominal', title: null, scale: { domain: ['the answer', 'meets every SLO', 'misses an SLO'], range: ['#2e7d32', '#4c78a8', '#e45756'] } };
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
