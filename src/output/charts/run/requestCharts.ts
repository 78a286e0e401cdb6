/**
 * The requests of a run: latency percentiles and the router's errors over time.
 */
import { SERIES_CODES } from '../../../model/router/codes.ts';
import { HEIGHT, WIDTH, topLevel, type Chart, type VlSpec } from '../chart.ts';
import { binWords, timeX, wallMs } from '../time.ts';
import { fmtInt } from '../../report/text.ts';
import { HALF, runBins, round3, warmupCaption, warmupMarks, type RunChartInput } from './common.ts';

export function latencyChart({ scenario, series }: RunChartInput): Chart {
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
      ...warmupMarks(scenario),
    ],
  };
  const waits: VlSpec = {
    width: WIDTH,
    height: HALF,
    layer: [
      {
        data: { values: queue },
        mark: { type: 'area', interpolate: 'step-after', color: '#4c78a8', opacity: 0.7, line: { color: '#4c78a8', strokeWidth: 1 } },
        encoding: {
          x,
          y: { field: 'ms', type: 'quantitative', axis: { title: 'mean queue time (ms)' } },
          tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'ms', title: 'mean queue time (ms)', format: ',.1f' }, { field: 'waiting', title: 'requests waiting (mean)', format: ',.2f' }],
        },
      },
      ...warmupMarks(scenario, false),
    ],
  };
  return {
    name: 'latency',
    title: 'Response time and queue time',
    caption: `Latency percentiles of the responses in each ${binWords(series.binS)} of the run (log scale), with the router's ${timeoutMs / 1000} s timeout. Below: the mean time a request waited for a free worker, the router's queue plus the dyno's backlog (waiting request-time over arrivals in the bin).${warmupCaption(scenario)}`,
    spec: topLevel('Response time', `percentiles per ${binWords(series.binS)}; queue time below`, { vconcat: [percentiles, waits], resolve: { scale: { x: 'shared' } } }),
  };
}

export function errorsChart({ scenario, series, result }: RunChartInput): Chart {
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
            ...warmupMarks(scenario),
          ],
        }
      : {
          width: WIDTH,
          height: HEIGHT,
          layer: [
            {
              data: { values: rows },
              mark: { type: 'rect' },
              encoding: {
                x,
                x2: { field: 't2', type: 'temporal' },
                y: { field: 'n', type: 'quantitative', stack: 'zero', axis: { title: `errors per ${binWords(series.binS)}` } },
                color: { field: 'code', type: 'nominal', title: 'Heroku code', scale: { domain: codes, range: codes.map(codeColour) } },
                tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'code' }, { field: 'n', title: 'errors', format: ',' }],
              },
            },
            ...warmupMarks(scenario),
          ],
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
