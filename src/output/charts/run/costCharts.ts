/**
 * The bill of a run: building up over the billing month against the free hours, and by
 * process type and size.
 */
import { costCurve } from './costCurve.ts';
import { HEIGHT, WIDTH, topLevel, type Chart, type VlSpec } from '../chart.ts';
import { timeX, wallMs } from '../time.ts';
import { fmtInt } from '../../report/text.ts';
import { HALF, fmtUsd, type RunChartInput } from './common.ts';

export function costMonthChart({ scenario, result }: RunChartInput): Chart {
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

export function costBreakdownChart({ scenario, result }: RunChartInput): Chart {
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

function formatDays(s: number): string {
  const d = s / 86400;
  if (d >= 1) return `${Number.isInteger(d) ? d : d.toFixed(1)} day${d === 1 ? '' : 's'}`;
  const h = s / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}
