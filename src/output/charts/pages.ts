/**
 * The report pages: what each command's report.html says, as a ReportPage (tables and
 * charts by section) that html.ts lays out. Pure functions of the results: the same run
 * gives the same page.
 */
import type { Scenario } from '../../model/Scenario.ts';
import type { RunResult } from '../../model/run/results.ts';
import type { Comparison } from '../../studies/compare/compare.ts';
import { METRICS } from '../../studies/parallel/outcome.ts';
import type { PointResult } from '../../studies/sweep/tables.ts';
import type { SweepSpec } from '../../studies/sweep/grid.ts';
import type { PlanResult } from '../../studies/plan/search.ts';
import type { Slo } from '../../studies/plan/slo.ts';
import { formationLabel } from '../report/plan.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import { VERSION } from '../../engine/version.ts';
import { fmtInt, fmtMs, fmtPct, fmtUsd, warmupSentence } from '../report/text.ts';
import type { Chart, ReportPage, ReportTable } from './chart.ts';
import { allNotes, asRunLines, freeHoursNote } from '../report/cost.ts';
import { type CostResult } from '../../studies/cost/price.ts';

const n = fmtInt;
const ms = fmtMs;
const pct = fmtPct;
function usd(x: number | null): string {
  return x === null ? '—' : fmtUsd(x);
}
function hours(x: number): string {
  return `${x.toLocaleString('en-US', { maximumFractionDigits: 1 })} h`;
}

/** The scenario file as run, for the end of a page: its text, and the --set overrides laid over it. */
export interface ScenarioSource {
  file: string;
  text: string;
  set: readonly string[];
}

function scenarioBlock(src: ScenarioSource | undefined): ReportPage['scenario'] {
  if (src === undefined) return undefined;
  const over = src.set.length === 0 ? '' : `\n# run with ${src.set.map((s) => `--set ${s}`).join(' ')}\n`;
  return { file: src.file, text: src.text + over };
}

function footer(command: string): string {
  return `dynosim ${VERSION} · regenerate with: ${command}`;
}

/** Whose chart is named `name` among `charts` (charts a run did not draw are skipped). */
function pick(charts: readonly Chart[], ...names: string[]): Chart[] {
  return names.map((name) => charts.find((c) => c.name === name)).filter((c): c is Chart => c !== undefined);
}

// ---- run ----

export function runPage(scenario: Scenario, result: RunResult, charts: readonly Chart[], src: ScenarioSource | undefined, command: string): ReportPage {
  const s = result.summary;
  const errors = Object.entries(s.requests.errors);
  const outcome: ReportTable = {
    caption: `Requests arriving after the ${formatDuration(scenario.warmupUs)} warm-up`,
    columns: ['', 'requests', 'share'],
    rows: [
      ['arrived', n(s.requests.arrived), '100%'],
      ['answered by a dyno', n(s.requests.completed), pct(s.requests.arrived === 0 ? null : s.requests.completed / s.requests.arrived)],
      ...errors.map(([code, k]) => [`router error ${code}`, n(k), pct(s.requests.arrived === 0 ? null : k / s.requests.arrived, 3)]),
    ],
  };
  const latency: ReportTable = {
    caption: 'Response time as the client sees it, and time waiting for a worker',
    columns: ['', 'mean', 'p50', 'p95', 'p99', 'p99.9', 'max'],
    rows: [
      ['response time', ms(s.latency.meanMs), ms(s.latency.p50Ms), ms(s.latency.p95Ms), ms(s.latency.p99Ms), ms(s.latency.p999Ms), ms(s.latency.maxMs)],
      ['queue time', ms(s.queue.meanMs), '', ms(s.queue.p95Ms), ms(s.queue.p99Ms), '', ''],
    ],
  };
  const dynos: ReportTable = {
    caption: 'The formation',
    columns: ['process type', 'dynos', 'size', 'at once per dyno', 'busy'],
    // An autoscaled type as it ran: fewest–most, and the sizes it ran at.
    rows: Object.entries(s.dynos).map(([type, d]) => {
      const x = s.scaling?.[type];
      return x === undefined ? [type, d.count, d.size, d.concurrency, pct(d.busyFraction, 1)] : [type, `${x.min}–${x.max} (mean ${x.mean.toFixed(2)})`, Object.keys(x.dynoHours).join(', ') || d.size, d.concurrency, pct(d.busyFraction, 1)];
    }),
  };
  const p = s.platform;
  const platform: ReportTable = {
    caption: 'What the platform did',
    columns: ['host failures', 'crashes', 'relocations', 'restarts', 'daily cycles', 'R14', 'R15', 'waiting for a host'],
    rows: [[p.hostFailures, p.dynoCrashes, p.relocations, p.restarts, p.cycles, p.r14, p.r15, `${p.placementWaitS.toFixed(0)} s`]],
  };
  const scaling: ReportTable[] =
    s.scaling === undefined
      ? []
      : [
          {
            caption: 'Scaling strategies',
            columns: ['process type', 'strategy', 'changes', 'fewest dynos', 'most', 'mean', 'dyno-hours by size'],
            rows: Object.entries(s.scaling).map(([type, x]) => [type, x.strategy, x.changes, x.min, x.max, x.mean.toFixed(2), Object.entries(x.dynoHours).map(([size, h]) => `${h.toFixed(1)} ${size}`).join(', ')]),
          },
        ];
  const cost: ReportTable = {
    caption: `The bill, ${scenario.platform.name} price book (per ${s.cost.pricePer})${freeHoursCaption(scenario.platform)}`,
    columns: ['process type', 'size', 'dynos', 'dyno-hours', 'free hours (1X-equivalent)', 'billable hours', 'bill of the run', 'a month'],
    rows: [
      ...result.cost.lines.map((l) => [l.processType, l.size, l.dynos, hours(l.dynoHours), hours(l.freeHours), hours(l.billableHours), usd(l.totalUsd), usd(l.monthlyUsd)]),
      ['all', '', result.cost.lines.reduce((a, l) => a + l.dynos, 0), hours(result.cost.dynoHours), hours(result.cost.freeHours), hours(result.cost.billableHours), usd(result.cost.totalUsd), usd(result.cost.monthlyUsd)],
    ],
  };
  return {
    title: scenario.name,
    subtitle: `${scenario.platform.name} · seed ${scenario.seed} · ${formatDuration(scenario.durationUs)} simulated from ${new Date(scenario.calendar.startEpochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC (${scenario.calendar.timeZone}) · ${scenario.router.policy} routing`,
    sections: [
      {
        heading: 'Summary',
        intro: `${scenario.description}\n\n${s.warmup === undefined ? '' : `${warmupSentence(s)} `}${n(s.requests.arrived)} requests arrived after the warm-up; ${pct(s.availability, 3)} were answered by a dyno within the router's timeout. p95 response time ${ms(s.latency.p95Ms)}, p99 ${ms(s.latency.p99Ms)}. The run cost ${usd(s.cost.totalUsd)}, ${usd(s.cost.monthlyUsd)} a month at ${s.scaling === undefined ? 'this formation' : 'the dynos this run used'}.`,
        tables: [outcome, latency, dynos, ...scaling, platform],
      },
      { heading: 'Latency and errors', charts: pick(charts, 'latency', 'errors') },
      { heading: 'Dynos', charts: pick(charts, 'dynos', 'dyno-balance', 'memory', ...scenario.processes.map((p) => `autoscaler-${p.type}`)) },
      { heading: 'Cost', tables: [cost], charts: pick(charts, 'cost-month', 'cost-breakdown') },
    ],
    scenario: scenarioBlock(src),
    footer: footer(command),
  };
}

// ---- compare ----

export function comparePage(c: Comparison, charts: readonly Chart[], src: ScenarioSource | undefined, command: string): ReportPage {
  const level = Math.round(c.setup.level * 100);
  const keys = ['p95', 'p99', 'queue.mean', 'errors', 'availability', 'monthly', 'dynos', 'scalings'] as const;
  const fmt = (unit: string, x: number | null): string => (unit === 'ms' ? ms(x) : unit === 'share' ? pct(x, 3) : unit === 'usd' ? usd(x) : x === null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const rows = c.alternatives.map((a, i) => [
    a.name,
    ...keys.map((k) => {
      const m = c.metrics.find((x) => x.metric.key === k);
      const e = m?.estimates[i];
      if (m === undefined || e === undefined || e.mean === null) return '—';
      const unit = m.metric.unit;
      return e.half === null ? fmt(unit, e.mean) : `${fmt(unit, e.mean)} ± ${fmt(unit, e.half)}`;
    }),
  ]);
  const labels = keys.map((k) => METRICS.find((m) => m.key === k)!.label);
  return {
    title: `Comparison: ${c.alternatives.map((a) => a.name).join(' vs ')}`,
    subtitle: `${c.setup.replications} replications each under common random numbers (seeds ${c.setup.seeds[0]}–${c.setup.seeds.at(-1)}) · ${level}% intervals · ${c.setup.files.join(', ')}`,
    sections: [
      {
        heading: 'Summary',
        intro: `Every alternative ran with the same ${c.setup.replications} seeds, so replication r of each saw the same arrivals and service times: differences are the alternatives', not luck's. Figures are means ± the half-width of the ${level}% interval.`,
        tables: [{ caption: 'Means over the replications', columns: ['alternative', ...labels], rows }],
      },
      { heading: 'Charts', charts: [...charts] },
    ],
    scenario: scenarioBlock(src),
    footer: footer(command),
  };
}

// ---- sweep ----

export function sweepPage(name: string, spec: SweepSpec, points: readonly PointResult[], charts: readonly Chart[], src: ScenarioSource | undefined, command: string): ReportPage {
  const rows = points.map((p) => [...p.cells, ms(p.metrics.p95?.mean ?? null), ms(p.metrics.p99?.mean ?? null), pct(p.metrics.errors?.mean ?? null, 3), usd(p.metrics.monthly?.mean ?? null), (p.metrics.dynos?.mean ?? 0).toFixed(2)]);
  return {
    title: `Sweep of ${name}`,
    subtitle: `${points.length} points × ${spec.replications} replication${spec.replications === 1 ? '' : 's'} · ${spec.axes.map((a) => `${a.path} = ${a.values.join(', ')}`).join(' · ')}`,
    sections: [
      { heading: 'Frontier', charts: [...charts] },
      { heading: 'Every point', intro: 'Means over the replications; sweep.csv has the 95% intervals and pooled percentiles, runs.csv every run.', tables: [{ columns: [...spec.axes.map((a) => a.path), 'p95', 'p99', 'errors', 'a month', 'mean web dynos'], rows }] },
    ],
    scenario: scenarioBlock(src),
    footer: footer(command),
  };
}

// ---- plan ----

export function planPage(name: string, slos: readonly Slo[], plan: PlanResult, charts: readonly Chart[], src: ScenarioSource | undefined, command: string): ReportPage {
  const answer = plan.answer;
  const feasible = [...(answer === null ? [] : [answer]), ...plan.runnersUp].slice(0, 8);
  const rows = feasible.map((f, i) => [i === 0 && answer !== null ? 'answer' : `runner-up ${i}`, formationLabel(f.combo, f.probe.n), usd(f.probe.monthly), ...f.probe.checks.map((ch) => (ch.slo.unit === 'ms' ? ms(ch.mean) : ch.slo.unit === 'share' ? pct(ch.mean, 3) : String(ch.mean)))]);
  return {
    title: `Plan for ${name}`,
    subtitle: `SLOs ${slos.map((s) => s.text).join(', ')} · ${plan.probes.length} formations tried, ${plan.simulations} simulations`,
    sections: [
      {
        heading: 'Answer',
        intro: answer === null ? 'No formation tried met every SLO: see the chart for how close each came.' : `The cheapest formation meeting every SLO on a one-sided 95% bound: ${formationLabel(answer.combo, answer.probe.n)}, ${usd(answer.probe.monthly)} a month.`,
        tables: rows.length === 0 ? [] : [{ caption: 'Cheapest formations meeting every SLO', columns: ['', 'formation', 'a month', ...slos.map((s) => s.metric)], rows }],
        charts: [...charts],
      },
    ],
    scenario: scenarioBlock(src),
    footer: footer(command),
  };
}

/** The bill's caption goes on with how the book counts free hours, when it has any. */
function freeHoursCaption(book: Scenario['platform']): string {
  const note = freeHoursNote(book);
  return note === null ? '' : `; ${note.slice(0, -1)}`;
}

// ---- cost ----

export function costPage(r: CostResult, charts: readonly Chart[], src: ScenarioSource | undefined, command: string): ReportPage {
  const rows = r.table.rows.map((row) => [
    row.alternative,
    row.book,
    row.lines.map((l) => `${l.oneOff ? `${n(l.runs)} runs` : `${l.dynos} ×`} ${l.size}${l.mappedFrom === null ? '' : ` (for ${l.mappedFrom.size})`} ${l.processType}`).join(', '),
    hours(row.dynoHours),
    hours(row.freeHours),
    hours(row.billableHours),
    `${row.estimate ? '≈' : ''}${usd(row.monthlyUsd)}`,
    `${row.estimate ? '≈' : ''}${usd(row.monthlyUsdNoFree)}`,
  ]);
  const mappings = r.table.mappings.map((m) => `${m.to} stands in for ${m.from} in ${m.book}: ${m.rule}.`);
  return {
    title: `Cost of ${r.scenario.name}`,
    subtitle: `a billing month in the heroku-2013 and heroku-2025 price books · priced without a simulation · ${r.scenario.file}`,
    sections: [
      {
        heading: 'Bills',
        intro: [r.scenario.description, ...asRunLines(r).map((l) => `As run: ${l}`), ...mappings, ...allNotes(r)].join('\n\n'),
        tables: [{ caption: 'Each formation in each price book, a month', columns: ['formation', 'price book', 'dynos', 'dyno-hours', 'free hours (1X-equivalent)', 'billable hours', 'a month', 'with no free hours'], rows }],
        charts: [...charts],
      },
    ],
    scenario: scenarioBlock(src),
    footer: footer(command),
  };
}
