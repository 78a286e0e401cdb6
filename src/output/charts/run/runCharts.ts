/**
 * The charts of one run: what a capacity planner shows their team. Each is a pure function
 * of the run's results and the series gathered while it went (RunSeries), so the same run
 * gives the same specs to the byte.
 */
import type { Scenario } from '../../../model/Scenario.ts';
import type { RunResult } from '../../../model/run/results.ts';
import { SERIES_CODES } from '../../../model/router/codes.ts';
import { HEIGHT, WIDTH, topLevel, type Chart, type VlSpec } from '../chart.ts';
import { binWords, timeX, wallMs } from '../time.ts';
import type { RunSeries } from './RunSeries.ts';
import { fmtInt, fmtUsd as fmtUsdSigned } from '../../report/text.ts';
import { costCurve } from './costCurve.ts';
import { dynoStates, eventMarks } from './states.ts';

export interface RunChartInput {
  scenario: Scenario;
  result: RunResult;
  series: RunSeries;
}

/** Every chart of a run, in report order. Charts with nothing to show (no memory model) are left out. */
export function runCharts(input: RunChartInput): Chart[] {
  const charts = [latencyChart(input), errorsChart(input), dynosChart(input), balanceChart(input), costMonthChart(input), costBreakdownChart(input)];
  const memory = memoryChart(input);
  if (memory !== null) charts.push(memory);
  return charts;
}

const HALF = Math.round(HEIGHT * 0.6);

/** Bins of the scenario's duration (the run goes on past it only to answer the last clients). */
function runBins(scenario: Scenario, series: RunSeries): RunSeries['bins'] {
  return series.bins.filter((b) => b.startS * 1e6 < scenario.durationUs && b.lengthS > 0);
}

function latencyChart({ scenario, series }: RunChartInput): Chart {
  const cal = scenario.calendar;
  const timeoutMs = scenario.platform.router.timeoutUs / 1000;
  const rows: Array<{ t: number; series: string; ms: number }> = [];
  const queue: Array<{ t: number; ms: number; waiting: number }> = [];
  for (const b of runBins(scenario, series)) {
    const t = wallMs(cal, b.startS);
    if (b.p50Ms !== null) rows.push({ t, series: 'p50', ms: Math.max(b.p50Ms, 0.1) });
    if (b.p95Ms !== null) rows.push({ t, series: 'p95', ms: Math.max(b.p95Ms, 0.1) });
    if (b.p99Ms !== null) rows.push({ t, series: 'p99', ms: Math.max(b.p99Ms, 0.1) });
    if (b.lengthS > 0) queue.push({ t, ms: b.arrivals > 0 ? round3((b.queueS / b.arrivals) * 1000) : 0, waiting: round3(b.queueS / b.lengthS) });
  }
  const x = timeX(cal, scenario.durationUs / 1e6);
  const percentiles: VlSpec = {
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
        encoding: {
          x,
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, axis: { title: 'response time (ms, log scale)' } },
          color: { field: 'series', type: 'nominal', title: 'percentile', scale: { domain: ['p50', 'p95', 'p99'], range: ['#54a24b', '#f58518', '#e45756'] } },
          tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'series', title: 'percentile' }, { field: 'ms', title: 'ms', format: ',.1f' }],
        },
      },
      {
        data: { values: [{ ms: timeoutMs, label: `router timeout ${timeoutMs / 1000} s (H12)` }] },
        layer: [
          { mark: { type: 'rule', color: '#b00', strokeDash: [6, 3] }, encoding: { y: { field: 'ms', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#b00', fontSize: 10 }, encoding: { y: { field: 'ms', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
        ],
      },
    ],
  };
  const waits: VlSpec = {
    width: WIDTH,
    height: HALF,
    data: { values: queue },
    mark: { type: 'area', interpolate: 'step-after', color: '#4c78a8', opacity: 0.7, line: { color: '#4c78a8', strokeWidth: 1 } },
    encoding: {
      x,
      y: { field: 'ms', type: 'quantitative', axis: { title: 'mean queue time (ms)' } },
      tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'ms', title: 'mean queue time (ms)', format: ',.1f' }, { field: 'waiting', title: 'requests waiting (mean)', format: ',.2f' }],
    },
  };
  return {
    name: 'latency',
    title: 'Response time and queue time',
    caption: `Latency percentiles of the responses in each ${binWords(series.binS)} of the run (log scale), with the router's ${timeoutMs / 1000} s timeout. Below: the mean time a request waited for a free worker, the router's queue plus the dyno's backlog (waiting request-time over arrivals in the bin).`,
    spec: topLevel('Response time', `percentiles per ${binWords(series.binS)}; queue time below`, { vconcat: [percentiles, waits], resolve: { scale: { x: 'shared' } } }),
  };
}

function errorsChart({ scenario, series, result }: RunChartInput): Chart {
  const cal = scenario.calendar;
  const rows: Array<{ t: number; t2: number; code: string; n: number }> = [];
  for (const b of runBins(scenario, series)) {
    for (const c of SERIES_CODES) {
      if (b.errors[c] > 0) rows.push({ t: wallMs(cal, b.startS), t2: wallMs(cal, b.startS + series.binS), code: c, n: b.errors[c] });
    }
  }
  const codes = SERIES_CODES.filter((c) => rows.some((r) => r.code === c));
  const total = Object.values(result.summary.requests.errors).reduce((a, n) => a + n, 0);
  const x = timeX(cal, scenario.durationUs / 1e6);
  const body: VlSpec =
    rows.length === 0
      ? {
          width: WIDTH,
          height: HALF,
          layer: [
            {
              data: { values: [{ t: wallMs(cal, 0), n: 0 }, { t: wallMs(cal, scenario.durationUs / 1e6), n: 0 }] },
              mark: { type: 'line', color: '#54a24b', strokeWidth: 2 },
              encoding: { x, y: { field: 'n', type: 'quantitative', axis: { title: 'errors' }, scale: { domain: [0, 1] } } },
            },
            { data: { values: [{ label: 'no router errors in this run' }] }, mark: { type: 'text', fontSize: 13, color: '#555' }, encoding: { text: { field: 'label' } } },
          ],
        }
      : {
          width: WIDTH,
          height: HEIGHT,
          data: { values: rows },
          mark: { type: 'rect' },
          encoding: {
            x,
            x2: { field: 't2', type: 'temporal' },
            y: { field: 'n', type: 'quantitative', stack: 'zero', axis: { title: `errors per ${binWords(series.binS)}` } },
            color: { field: 'code', type: 'nominal', title: 'Heroku code', scale: { domain: codes, range: codes.map(codeColour) } },
            tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'code' }, { field: 'n', title: 'errors', format: ',' }],
          },
        };
  return {
    name: 'errors',
    title: 'Router errors by Heroku code',
    caption:
      rows.length === 0
        ? 'The router answered every request from a dyno: no H10, H11, H12, H13, H19 or other error.'
        : `Errors the router answered with, per ${binWords(series.binS)}, by code: ${codes.map(codeMeaning).join('; ')}. ${fmtInt(total)} in all.`,
    spec: topLevel('Router errors', rows.length === 0 ? 'none' : `by Heroku code, per ${binWords(series.binS)}`, body),
  };
}

const CODE_TEXT: Record<string, string> = {
  H10: 'H10 app crashed (no web dyno up)',
  H11: 'H11 backlog too deep',
  H12: 'H12 request timeout',
  H13: 'H13 connection closed without response',
  H14: 'H14 no web dynos running',
  H19: 'H19 backend connection timeout',
  H20: 'H20 app boot timeout',
  H21: 'H21 backend connection refused',
  H99: 'H99 platform error',
};

function codeMeaning(code: string): string {
  return CODE_TEXT[code] ?? code;
}

function codeColour(code: string): string {
  const colours: Record<string, string> = { H10: '#7f3b08', H11: '#f58518', H12: '#e45756', H13: '#b279a2', H14: '#9d755d', H19: '#72b7b2', H20: '#eeca3b', H21: '#4c78a8', H99: '#bab0ac' };
  return colours[code] ?? '#888';
}

const STATE_COLOURS: Record<string, string> = { up: '#54a24b', starting: '#eeca3b', crashed: '#e45756', 'down, waiting for a host': '#9d755d' };
const MARK_COLOURS: Record<string, string> = { 'host failure': '#7f3b08', crash: '#e45756', 'scale up': '#4c78a8', 'scale down': '#72b7b2' };

function dynosChart({ scenario, series, result }: RunChartInput): Chart {
  const cal = scenario.calendar;
  const x = timeX(cal, scenario.durationUs / 1e6);
  const traffic = runBins(scenario, series).map((b) => ({ t: wallMs(cal, b.startS), rate: round3(b.arrivals / b.lengthS) }));
  const states = dynoStates(result.lifecycle, series.binS, scenario.durationUs / 1e6);
  const marks = eventMarks(result.lifecycle, result.scaling, series.binS);
  const groups = [...new Set(states.map((s) => s.group))];
  const panels: VlSpec[] = [
    {
      width: WIDTH,
      height: HALF,
      data: { values: traffic },
      mark: { type: 'line', interpolate: 'step-after', color: '#4c78a8', strokeWidth: 1.2 },
      encoding: {
        x,
        y: { field: 'rate', type: 'quantitative', axis: { title: 'requests/s arriving' } },
        tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'rate', title: 'requests/s', format: ',.1f' }],
      },
    },
  ];
  const stateDomain = Object.keys(STATE_COLOURS);
  const markDomain = Object.keys(MARK_COLOURS);
  for (const g of groups) {
    const rows = states.filter((s) => s.group === g).map((s) => ({ t: wallMs(cal, s.startS), t2: wallMs(cal, s.startS + series.binS), state: s.state, dynos: s.dynos, order: s.order }));
    const ms = marks.filter((m) => m.group === g || m.group === null).map((m) => ({ t: wallMs(cal, m.startS + series.binS / 2), kind: m.kind, n: m.count, what: m.what }));
    const layers: VlSpec[] = [
      {
        data: { values: rows },
        mark: { type: 'area', interpolate: 'step-after' },
        encoding: {
          x,
          y: { field: 'dynos', type: 'quantitative', stack: 'zero', axis: { title: `${g} dynos (mean over bin)` } },
          color: { field: 'state', type: 'nominal', title: 'dyno state', legend: { labelLimit: 240 }, scale: { domain: stateDomain, range: stateDomain.map((s) => STATE_COLOURS[s]) } },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'state' }, { field: 'dynos', title: 'dynos (mean)', format: '.2f' }],
        },
      },
    ];
    if (ms.length > 0) {
      layers.push({
        data: { values: ms },
        mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.8 },
        encoding: {
          x: { field: 't', type: 'temporal' },
          stroke: { field: 'kind', type: 'nominal', title: 'marked', scale: { domain: markDomain, range: markDomain.map((k) => MARK_COLOURS[k]) } },
          strokeDash: { field: 'kind', type: 'nominal', legend: null, scale: { domain: markDomain, range: [[1, 0], [2, 2], [6, 2], [6, 2]] } },
          tooltip: [{ field: 't', type: 'temporal', title: 'around', format: '%a %H:%M', formatType: 'utc' }, { field: 'what', title: 'what happened' }],
        },
      });
    }
    panels.push({ width: WIDTH, height: HEIGHT, layer: layers, resolve: { scale: { color: 'independent', stroke: 'independent' } } });
  }
  const p = result.summary.platform;
  const happened = [
    p.hostFailures > 0 ? `${p.hostFailures} host failure${p.hostFailures === 1 ? '' : 's'}` : null,
    p.dynoCrashes > 0 ? `${p.dynoCrashes} crash${p.dynoCrashes === 1 ? '' : 'es'}` : null,
    result.scaling.length > 0 ? `${result.scaling.length} scaling change${result.scaling.length === 1 ? '' : 's'}` : null,
  ].filter((s) => s !== null);
  return {
    name: 'dynos',
    title: 'Traffic and dynos by state',
    caption: `Requests arriving per second, and below, per process type, how many dynos were up, starting, crashed or waiting for a host to be placed on (mean over each ${binWords(series.binS)}). ${happened.length === 0 ? 'No host failed, no dyno crashed and the formation did not change.' : `Vertical marks: ${happened.join(', ')} (hover for details).`}`,
    spec: topLevel('Traffic and dynos', 'requests/s arriving; dynos by state, with failures, crashes and scaling marked', { vconcat: panels, resolve: { scale: { x: 'shared' } } }),
  };
}

function balanceChart({ scenario, result }: RunChartInput): Chart {
  const types = new Set(scenario.processes.map((p) => p.type));
  const rows = result.dynos
    .filter((d) => types.has(d.processType) && d.billedHours > 0)
    .map((d) => ({ dyno: d.dyno, type: d.processType, order: dynoNumber(d.dyno), requests: d.requests, busy: round3(d.busyFraction * 100), timeouts: d.timeouts }));
  const many = rows.length > 40;
  const bar = (field: string, title: string, format: string): VlSpec => ({
    width: many ? { step: 6 } : WIDTH,
    height: HALF,
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'dyno', type: 'nominal', sort: { field: 'order' }, axis: many ? { labels: false, ticks: false, title: 'dynos' } : { title: null, labelAngle: -45 } },
          y: { field, type: 'quantitative', axis: { title } },
          color: { field: 'type', type: 'nominal', title: 'process type' },
          tooltip: [{ field: 'dyno' }, { field: 'requests', title: 'requests or jobs', format: ',' }, { field: 'busy', title: 'busy (%)', format: '.1f' }, { field: 'timeouts', title: 'H12 timeouts', format: ',' }],
        },
      },
      {
        mark: { type: 'rule', color: '#333', strokeDash: [4, 3] },
        encoding: { y: { aggregate: 'mean', field, type: 'quantitative' }, detail: { field: 'type' } },
      },
    ],
  });
  const web = rows.filter((r) => r.type === scenario.web.type);
  const spread = web.length > 1 ? `Across web dynos, requests served range from ${fmtInt(Math.min(...web.map((r) => r.requests)))} to ${fmtInt(Math.max(...web.map((r) => r.requests)))} and busy time from ${Math.min(...web.map((r) => r.busy)).toFixed(1)}% to ${Math.max(...web.map((r) => r.busy)).toFixed(1)}%.` : '';
  return {
    name: 'dyno-balance',
    title: 'Work per dyno',
    caption: `Requests (web) or jobs (workers) each dyno took after the warm-up, and the share of its workers' time spent busy; dashed lines are the means. Under ${scenario.router.policy} routing ${scenario.router.policy === 'random' ? 'some dynos queue while others idle' : 'work spreads as the router chooses'}. ${spread}`.trim(),
    spec: topLevel('Work per dyno', 'requests or jobs taken, and busy share of worker time', { data: { values: rows }, vconcat: [bar('requests', 'requests or jobs', ','), bar('busy', 'busy (% of worker time)', '.1f')] }),
  };
}

function costMonthChart({ scenario, result }: RunChartInput): Chart {
  const profile = scenario.platform;
  const curve = costCurve(result.usages, profile, scenario.durationUs);
  const cal = scenario.calendar;
  const rows = curve.points.map((p) => ({ t: wallMs(cal, p.tS), usd: p.usd, hours: p.weightedHours, part: p.simulated ? 'simulated' : 'projected' }));
  // The projection starts where the run ends, so the two lines join.
  const endRun = curve.points.filter((p) => p.simulated).at(-1);
  if (endRun !== undefined && curve.points.some((p) => !p.simulated)) rows.push({ t: wallMs(cal, endRun.tS), usd: endRun.usd, hours: endRun.weightedHours, part: 'projected' });
  const x = { ...timeX(cal, curve.spanS), axis: { title: `time (${cal.timeZone})`, format: '%b %d', labelOverlap: true, tickCount: 10 } };
  const line = (field: string, title: string, format: string): VlSpec => ({
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x,
      y: { field, type: 'quantitative', axis: { title } },
      strokeDash: { field: 'part', type: 'nominal', title: null, scale: { domain: ['simulated', 'projected'], range: [[1, 0], [5, 4]] } },
      color: { value: '#4c78a8' },
      tooltip: [{ field: 't', type: 'temporal', title: 'at', format: '%b %d %H:%M', formatType: 'utc' }, { field, title, format }, { field: 'part' }],
    },
  });
  const hoursLayers: VlSpec[] = [line('hours', 'dyno-hours used', ',.0f')];
  if (curve.freeHours > 0) {
    hoursLayers.push({
      data: { values: [{ h: curve.freeHours, label: `free allowance ${fmtInt(curve.freeHours)} h a month` }] },
      layer: [
        { mark: { type: 'rule', color: '#54a24b', strokeDash: [6, 3] }, encoding: { y: { field: 'h', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#2e7d32', fontSize: 10 }, encoding: { y: { field: 'h', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
      ],
    });
  }
  const runOut = curve.freeRunOutS;
  if (runOut !== null) {
    hoursLayers.push({
      data: { values: [{ t: wallMs(cal, runOut), label: 'free hours run out' }] },
      layer: [
        { mark: { type: 'rule', color: '#e45756' }, encoding: { x: { field: 't', type: 'temporal' } } },
        { mark: { type: 'text', align: 'left', dx: 4, y: 8, color: '#e45756', fontSize: 10 }, encoding: { x: { field: 't', type: 'temporal' }, text: { field: 'label' } } },
      ],
    });
  }
  const monthDays = profile.billing.monthUs / 86_400e6;
  const projected = curve.points.some((p) => !p.simulated);
  const freeText =
    curve.freeHours === 0
      ? `The ${profile.name} price book has no free hours for these sizes.`
      : runOut === null
        ? `The ${fmtInt(curve.freeHours)} free hours a month cover all of it.`
        : `The ${fmtInt(curve.freeHours)} free hours a month run out ${formatDays(runOut)} in; every hour after is billed. Hours are counted as the allowance counts them (a 2X hour uses two).`;
  return {
    name: 'cost-month',
    title: 'The bill over the month',
    caption: `What the dynos cost as time goes, priced per second by the ${profile.name} price book (${profile.billing.pricePer === 'hour' ? 'per dyno-hour' : 'per dyno-month, prorated and capped'}). ${projected ? `The run covers ${formatDays(scenario.durationUs / 1e6)} of the ${monthDays}-day billing month; the dashed part repeats it to the month's end: $${fmtUsd(curve.points.at(-1)!.usd)}.` : ''} ${freeText}`.replace(/ +/g, ' ').trim(),
    spec: topLevel('The bill over the month', `cumulative cost (USD) and dyno-hours, ${profile.name} price book`, {
      vconcat: [
        { width: WIDTH, height: HEIGHT, layer: [line('usd', 'bill so far (USD)', '$,.2f')] },
        { width: WIDTH, height: HALF, layer: hoursLayers },
      ],
      resolve: { scale: { x: 'shared' } },
    }),
  };
}

function costBreakdownChart({ scenario, result }: RunChartInput): Chart {
  const rows = result.cost.lines.map((l) => ({
    line: `${l.processType} · ${l.size}`,
    type: l.processType,
    dynos: l.dynos,
    hours: l.dynoHours,
    billable: l.billableHours,
    run: l.totalUsd,
    month: l.monthlyUsd,
    label: `$${fmtUsd(l.monthlyUsd)}/month`,
  })).sort((a, b) => b.month - a.month || a.line.localeCompare(b.line));
  return {
    name: 'cost-breakdown',
    title: 'Cost by process type and size',
    caption: `Projected monthly cost of each process type on each size, at the run's average formation (${scenario.platform.name} price book): $${fmtUsd(result.cost.monthlyUsd)} a month in all; the run itself cost $${fmtUsd(result.cost.totalUsd)}.`,
    spec: topLevel('Cost by process type and size', `USD per month, ${scenario.platform.name} price book`, {
      width: WIDTH - 120,
      height: { step: 28 },
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'line', type: 'nominal', sort: null, axis: { title: null } },
            // Room past the longest bar for its label.
            x: { field: 'month', type: 'quantitative', axis: { title: 'USD per month', format: '$,.0f' }, scale: { domainMax: Math.max(1, ...rows.map((r) => r.month)) * 1.35 } },
            color: { field: 'type', type: 'nominal', title: 'process type' },
            tooltip: [{ field: 'line', title: 'type · size' }, { field: 'dynos', title: 'dynos that ran' }, { field: 'hours', title: 'dyno-hours in the run', format: ',.1f' }, { field: 'billable', title: 'billable hours', format: ',.1f' }, { field: 'run', title: 'bill of the run (USD)', format: '$,.2f' }, { field: 'month', title: 'a month (USD)', format: '$,.2f' }],
          },
        },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { y: { field: 'line', type: 'nominal', sort: null }, x: { field: 'month', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    }),
  };
}

function memoryChart({ scenario, series }: RunChartInput): Chart | null {
  if (series.memory.length === 0) return null;
  const cal = scenario.calendar;
  const rows = series.memory.map((m) => ({ t: wallMs(cal, m.startS), dyno: m.dyno, total: m.totalMb, swap: m.swapMb }));
  const quotas = [...new Set(series.memory.map((m) => m.quotaMb))].map((q) => ({ mb: q, label: `memory quota ${fmtInt(q)} MB (R14 above it)` }));
  const x = timeX(cal, scenario.durationUs / 1e6);
  const panel = (field: string, title: string, withQuota: boolean): VlSpec => ({
    width: WIDTH,
    height: field === 'total' ? HEIGHT : HALF,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1, interpolate: 'step-after' },
        encoding: {
          x,
          y: { field, type: 'quantitative', axis: { title } },
          color: { field: 'dyno', type: 'nominal', legend: rows.length > 0 && new Set(rows.map((r) => r.dyno)).size > 12 ? null : { title: 'dyno' } },
          tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'dyno' }, { field, title, format: ',.0f' }],
        },
      },
      ...(withQuota
        ? [
            {
              data: { values: quotas },
              layer: [
                { mark: { type: 'rule', color: '#b00', strokeDash: [6, 3] }, encoding: { y: { field: 'mb', type: 'quantitative' } } },
                { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#b00', fontSize: 10 }, encoding: { y: { field: 'mb', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
              ],
            },
          ]
        : []),
    ],
  });
  return {
    name: 'memory',
    title: 'Memory and swap per dyno',
    caption: `Each dyno's memory_total (resident plus swap, as log-runtime-metrics reports it) and the part of it in swap, the highest 20 s sample in each ${binWords(series.binS)}. Past the quota a dyno logs R14 and swaps, which slows it; far past it the dyno is killed (R15).`,
    spec: topLevel('Memory and swap per dyno', `highest sample per ${binWords(series.binS)}`, {
      vconcat: [panel('total', 'memory_total (MB)', true), panel('swap', 'swap (MB)', false)],
      resolve: { scale: { x: 'shared' } },
    }),
  };
}

function dynoNumber(name: string): number {
  const dot = name.lastIndexOf('.');
  return Number(name.slice(dot + 1)) || 0;
}

function formatDays(s: number): string {
  const d = s / 86400;
  if (d >= 1) return `${Number.isInteger(d) ? d : d.toFixed(1)} day${d === 1 ? '' : 's'}`;
  const h = s / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

/** "1,234.50": dollars without the sign (labels put their own). */
function fmtUsd(n: number): string {
  return fmtUsdSigned(n).replace('$', '');
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
