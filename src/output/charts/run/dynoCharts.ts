/**
 * The dynos of a run: their states over time with the platform's events marked, the work
 * each dyno took, and each dyno's memory against its quota.
 */
import { HEIGHT, WIDTH, topLevel, type Chart, type VlSpec } from '../chart.ts';
import { binWords, timeX, wallMs } from '../time.ts';
import { fmtInt } from '../../report/text.ts';
import { dynoStates, eventMarks } from './states.ts';
import { DECISION_COLOURS } from './autoscaleCharts.ts';
import { HALF, runBins, round3, warmupCaption, warmupMarks, type RunChartInput } from './common.ts';

const STATE_COLOURS: Record<string, string> = { up: '#54a24b', starting: '#eeca3b', crashed: '#e45756', 'down, waiting for a host': '#9d755d' };
const MARK_COLOURS: Record<string, string> = { 'host failure': '#7f3b08', crash: '#e45756', ...DECISION_COLOURS };

export function dynosChart({ scenario, series, result }: RunChartInput): Chart {
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
      layer: [
        {
          data: { values: traffic },
          mark: { type: 'line', interpolate: 'step-after', color: '#4c78a8', strokeWidth: 1.2 },
          encoding: {
            x,
            y: { field: 'rate', type: 'quantitative', axis: { title: 'requests/s arriving' } },
            tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'rate', title: 'requests/s', format: ',.1f' }],
          },
        },
        ...warmupMarks(scenario),
      ],
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
          strokeDash: { field: 'kind', type: 'nominal', legend: null, scale: { domain: markDomain, range: [[1, 0], [2, 2], [6, 2], [1, 3]] } },
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
    caption: `Requests arriving per second, and below, per process type, how many dynos were up, starting, crashed or waiting for a host to be placed on (mean over each ${binWords(series.binS)}). ${happened.length === 0 ? 'No host failed, no dyno crashed and the formation did not change.' : `Vertical marks: ${happened.join(', ')} (hover for details).`}${warmupCaption(scenario)}`,
    spec: topLevel('Traffic and dynos', 'requests/s arriving; dynos by state, with failures, crashes and scaling marked', { vconcat: panels, resolve: { scale: { x: 'shared' } } }),
  };
}

export function balanceChart({ scenario, result }: RunChartInput): Chart {
  const types = new Set(scenario.processes.map((p) => p.type));
  const rows = result.dynos
    .filter((d) => types.has(d.processType) && d.billedHours > 0)
    .map((d) => ({ dyno: d.dyno, type: d.processType, order: dynoNumber(d.dyno), requests: d.requests, busy: round3(d.busyFraction * 100), timeouts: d.timeouts, hours: d.billedHours }));
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
    caption: `Requests (web) or jobs (workers) each dyno took after the warm-up, and the share of its workers' time spent busy; dashed lines are the means. ${spreadCause(scenario.router.policy, web.map((r) => r.hours))} ${spread}`.trim(),
    spec: topLevel('Work per dyno', 'requests or jobs taken, and busy share of worker time', { data: { values: rows }, vconcat: [bar('requests', 'requests or jobs', ','), bar('busy', 'busy (% of worker time)', '.1f')] }),
  };
}

/**
 * What the spread of work across web dynos comes from: dynos that ran for different
 * lengths of time (an autoscaler's, a replaced or a crashed dyno's) take different amounts
 * of work whatever the router does; among dynos that ran alike, the router's choices.
 */
function spreadCause(policy: string, hours: readonly number[]): string {
  const router = `Under ${policy} routing ${policy === 'random' ? 'some dynos queue while others idle' : 'work spreads as the router chooses'}.`;
  if (hours.length < 2) return router;
  const least = Math.min(...hours);
  const most = Math.max(...hours);
  if (most <= least * 1.05) return router;
  return `Web dynos ran for different lengths of time (${least.toFixed(1)} to ${most.toFixed(1)} billed hours), so most of the spread in requests comes from how long each dyno lived, not from the router; the busy share, per hour a dyno was up, is where ${policy} routing shows.`;
}

export function memoryChart({ scenario, series }: RunChartInput): Chart | null {
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
      ...warmupMarks(scenario, withQuota),
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
