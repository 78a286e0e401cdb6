/**
 * An autoscaler's own view of a run, one chart per autoscaled process type: the metric it
 * watches (Heroku's p95 response time over its window, or the queue time of a Judoscale or
 * HireFire sample) against the thresholds it scales up above and down below, every
 * decision it took marked, and the dyno count those decisions gave. What the users of
 * Judoscale's and HireFire's dashboards look at to tune a strategy.
 */
import { HEIGHT, WIDTH, topLevel, type Chart, type VlSpec } from '../chart.ts';
import { binWords, timeX, wallMs } from '../time.ts';
import { fmtInt } from '../../report/text.ts';
import type { ScalingPlan } from '../../../model/Scenario.ts';
import { HALF, round3, warmupMarks, type RunChartInput } from './common.ts';

/** Scale-up and scale-down marks, told apart by colour (Okabe–Ito blue and reddish purple) and by dash. */
export const DECISION_COLOURS = { 'scale up': '#0072b2', 'scale down': '#cc79a7' } as const;
const DECISION_DASHES = { 'scale up': [6, 2], 'scale down': [1, 3] } as const;
const DECISIONS = ['scale up', 'scale down'] as const;

type Watching = Exclude<ScalingPlan, { strategy: 'schedule' }>;

/** What a strategy watches and the lines it acts on (ms). */
function thresholds(plan: Watching): { metric: string; upMs: number; downMs: number; up: string; down: string } {
  if (plan.strategy === 'heroku-autoscale') {
    const upMs = plan.targetUs / 1000;
    const downMs = (plan.targetUs * plan.downBelow) / 1000;
    return { metric: `p95 response time over the past ${fmtInt(plan.windowUs / 60e6)} min`, upMs, downMs, up: `up above ${fmtInt(upMs)} ms`, down: `down under ${fmtInt(downMs)} ms` };
  }
  const upMs = plan.upUs / 1000;
  const downMs = plan.downUs / 1000;
  return { metric: `${plan.metric} queue time of each ${fmtInt(plan.sampleEveryUs / 1e6)} s sample`, upMs, downMs, up: `up above ${fmtInt(upMs)} ms`, down: `down under ${fmtInt(downMs)} ms` };
}

export function autoscaleCharts({ scenario, series, result }: RunChartInput): Chart[] {
  const cal = scenario.calendar;
  const spanS = scenario.durationUs / 1e6;
  const x = timeX(cal, spanS);
  const charts: Chart[] = [];
  for (const plan of scenario.scaling) {
    if (plan.strategy === 'schedule') continue;
    const proc = scenario.processes[plan.process]!;
    const th = thresholds(plan);
    const bins = series.autoscale.get(proc.type) ?? [];
    const metric = bins.flatMap((b) => [
      { t: wallMs(cal, b.startS), series: 'mean of its looks', ms: round3(b.meanMs) },
      { t: wallMs(cal, b.startS), series: 'highest look', ms: round3(b.maxMs) },
    ]);
    const rows = result.scaling.filter((r) => r.process === proc.type && r.strategy === plan.strategy);
    const decisions = rows.map((r) => ({
      t: wallMs(cal, r.timeUs / 1e6),
      kind: r.to > r.from ? 'scale up' : 'scale down',
      what: `${r.from} → ${r.to} dynos: ${r.reason}${r.valueUs === null ? '' : ` (read ${round3(r.valueUs / 1000)} ms)`}`,
    }));
    // The count the decisions gave, from the formation's start to the run's end.
    const counts = [{ t: wallMs(cal, 0), dynos: proc.count }, ...rows.map((r) => ({ t: wallMs(cal, r.timeUs / 1e6), dynos: r.to })), { t: wallMs(cal, spanS), dynos: rows.length === 0 ? proc.count : rows[rows.length - 1]!.to }];
    const ups = decisions.filter((d) => d.kind === 'scale up').length;
    const decisionLayer = (withLegend: boolean): VlSpec => ({
      data: { values: decisions },
      mark: { type: 'rule', strokeWidth: 1.2, opacity: 0.85 },
      encoding: {
        x: { field: 't', type: 'temporal' },
        stroke: { field: 'kind', type: 'nominal', title: 'decision', scale: { domain: [...DECISIONS], range: DECISIONS.map((k) => DECISION_COLOURS[k]) }, legend: withLegend ? {} : null },
        strokeDash: { field: 'kind', type: 'nominal', legend: null, scale: { domain: [...DECISIONS], range: DECISIONS.map((k) => [...DECISION_DASHES[k]]) } },
        tooltip: [{ field: 't', type: 'temporal', title: 'at', format: '%a %H:%M:%S', formatType: 'utc' }, { field: 'kind', title: 'decision' }, { field: 'what', title: 'what' }],
      },
    });
    const lines = [
      { ms: th.upMs, label: `scale ${th.up}`, colour: DECISION_COLOURS['scale up'] },
      { ms: th.downMs, label: `scale ${th.down}`, colour: DECISION_COLOURS['scale down'] },
    ];
    const metricPanel: VlSpec = {
      width: WIDTH,
      height: HEIGHT,
      // A series drawn without the autoscaler's looks (a caller's own RunSeries) has only the thresholds and decisions.
      layer: [
        ...(metric.length === 0 ? [] : [{
          data: { values: metric },
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.3 },
          encoding: {
            x,
            y: { field: 'ms', type: 'quantitative', scale: { type: 'symlog', constant: 1 }, axis: { title: `${th.metric} (ms, symlog scale)` } },
            color: { field: 'series', type: 'nominal', title: `per ${binWords(series.binS)}`, scale: { domain: ['mean of its looks', 'highest look'], range: ['#333333', '#bbbbbb'] } },
            tooltip: [{ field: 't', type: 'temporal', title: 'bin start', format: '%a %H:%M', formatType: 'utc' }, { field: 'series', title: 'read' }, { field: 'ms', title: 'ms', format: ',.1f' }],
          },
        } satisfies VlSpec]),
        ...lines.map(
          (l): VlSpec => ({
            data: { values: [l] },
            layer: [
              { mark: { type: 'rule', color: l.colour, strokeDash: [8, 4], strokeWidth: 1.5 }, encoding: { y: { field: 'ms', type: 'quantitative' } } },
              { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: l.colour, fontSize: 10 }, encoding: { y: { field: 'ms', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
            ],
          }),
        ),
        ...(decisions.length === 0 ? [] : [decisionLayer(true)]),
        ...warmupMarks(scenario, false),
      ],
      resolve: { scale: { color: 'independent', stroke: 'independent' } },
    };
    const countPanel: VlSpec = {
      width: WIDTH,
      height: HALF,
      layer: [
        {
          data: { values: counts },
          mark: { type: 'line', interpolate: 'step-after', color: '#54a24b', strokeWidth: 1.5 },
          encoding: { x, y: { field: 'dynos', type: 'quantitative', axis: { title: `${proc.type} dynos`, tickMinStep: 1 }, scale: { zero: true } }, tooltip: [{ field: 't', type: 'temporal', title: 'from', format: '%a %H:%M:%S', formatType: 'utc' }, { field: 'dynos', title: 'dynos' }] },
        },
        ...(decisions.length === 0 ? [] : [decisionLayer(false)]),
      ],
    };
    charts.push({
      name: `autoscaler-${proc.type}`,
      title: `The autoscaler of ${proc.type} (${plan.strategy})`,
      caption: `What ${plan.strategy} watched for ${proc.type}: the ${th.metric}, as the mean and the highest of its looks in each ${binWords(series.binS)} (looks with nothing to measure left out), against the lines it scales ${th.up} and ${th.down}; below, the ${proc.type} dynos its decisions asked for (the formation, before boots). ${decisions.length === 0 ? 'It took no decision.' : `${fmtInt(decisions.length)} decision${decisions.length === 1 ? '' : 's'}: ${fmtInt(ups)} up, ${fmtInt(decisions.length - ups)} down (hover for each).`}`,
      spec: topLevel(`The autoscaler of ${proc.type}`, `${plan.strategy}: ${th.metric} against its thresholds, with its decisions`, { vconcat: [metricPanel, countPanel], resolve: { scale: { x: 'shared' } } }),
    });
  }
  return charts;
}
