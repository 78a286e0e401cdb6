/**
 * The charts of `dynosim cost`, as vega-lite specs (pure functions of the result):
 *
 * - `cost-by-count`: the month's bill as the process type's dyno count varies, one line per
 *   price book and size, dashed without free hours, the scenario's own formation marked
 *   (an autoscaler's min..max shaded);
 * - `cost-by-process`: each formation's bill per price book, stacked by process type and size.
 */
import { HEIGHT, THEME, WIDTH, topLevel, type Chart } from './chart.ts';
import { monthHours, type CostRow } from '../../studies/cost/costTable.ts';
import { usdText } from '../report/cost.ts';
import type { CostResult } from '../../studies/cost/price.ts';

const AS_BILLED = 'as billed';
const NO_FREE = 'without free hours';
/** Bars drawn at most in the stacked chart; past it only the scenario's own formations. */
const MAX_BARS = 24;
/** Plotting width of the bar chart, px (its labels take the rest). */
const BAR_WIDTH = WIDTH - 120;

export function costCharts(r: CostResult): Chart[] {
  return [costByCount(r), costByProcess(r)];
}

function costByCount(r: CostResult): Chart {
  const { setup, table } = r;
  const process = setup.process;
  const freeBooks = new Set(setup.books.filter((b) => b.billing.freeHoursPerMonth > 0).map((b) => b.name));
  const points = r.curve.flatMap((p) => {
    const series = `${p.book} · ${p.size}`;
    const billed = { count: p.count, series, free: AS_BILLED, usd: p.monthlyUsd, book: p.book };
    return freeBooks.has(p.book) ? [billed, { ...billed, free: NO_FREE, usd: p.monthlyUsdNoFree }] : [billed];
  });
  // The scenario's own formations, at their mean number of the process type's dynos.
  const marks = table.rows
    .filter((row) => row.kind !== 'what-if')
    .map((row) => {
      const book = setup.books.find((b) => b.name === row.book)!;
      const lines = row.lines.filter((l) => l.processType === process && !l.oneOff);
      const hours = lines.reduce((s, l) => s + l.dynoHours, 0);
      const mean = Math.round((hours / monthHours(book)) * 100) / 100;
      return { count: mean, usd: row.monthlyUsd, series: `${row.book} · ${lines[0]?.size ?? ''}`, label: `${row.alternative}, ${row.book}: ${row.estimate ? '≈' : ''}${usdText(row.monthlyUsd)}` };
    });
  // Of the marks at one count, the dearest is labelled above its diamond and the others below, so that labels do not collide.
  const above = marks.filter((m) => !marks.some((o) => o.count === m.count && o.usd > m.usd));
  const below = marks.filter((m) => !above.includes(m));
  const band = setup.autoscaled.filter((a) => a.processType === process).map((a) => ({ min: a.min, max: a.max, label: `${a.strategy} ${a.min}..${a.max}` }));
  const x = { field: 'count', type: 'quantitative', title: `${process} dynos`, axis: { tickMinStep: 1, format: 'd' }, scale: { zero: false, nice: false } };
  const y = { field: 'usd', type: 'quantitative', title: '$ a month', axis: { format: '$,.0f' } };
  const color = { field: 'series', type: 'nominal', title: 'price book · size', scale: { range: THEME.range.category }, legend: { orient: 'bottom', direction: 'vertical', symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 500, labelLimit: 320 } };
  const layers: Record<string, unknown>[] = [];
  if (band.length > 0) {
    layers.push(
      { data: { values: band }, mark: { type: 'rect', color: '#999', opacity: 0.12 }, encoding: { x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } } },
      { data: { values: band }, mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, y: 4, color: '#666', fontSize: 10 }, encoding: { x: { field: 'min', type: 'quantitative' }, text: { field: 'label' } } },
    );
  }
  layers.push(
    {
      data: { values: points },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear', point: setup.curve.counts.length <= 12 ? { size: 16, filled: true } : false },
      encoding: {
        x,
        y,
        color,
        strokeDash: { field: 'free', type: 'nominal', title: 'free hours', scale: { domain: [AS_BILLED, NO_FREE], range: [[1, 0], [5, 4]] }, legend: { orient: 'bottom', direction: 'vertical', symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 500, encode: { symbols: { update: { stroke: { value: '#444' } } } } } },
        detail: { field: 'free' },
      },
    },
    { data: { values: marks }, mark: { type: 'point', shape: 'diamond', filled: true, size: 140, stroke: 'black', strokeWidth: 1 }, encoding: { x, y, color } },
    // Labels beside their diamond, on a white halo so that lines under them do not hide them.
    ...[
      { values: above, baseline: 'bottom', dy: -4 },
      { values: below, baseline: 'top', dy: 4 },
    ].flatMap(({ values, baseline, dy }) =>
      [{ stroke: 'white', strokeWidth: 4, strokeJoin: 'round' }, {}].map((halo) => ({
        data: { values },
        mark: { type: 'text', align: 'left', baseline, dx: 8, dy, fontSize: 11, ...halo },
        encoding: { x, y, text: { field: 'label' } },
      })),
    ),
  );
  const month = setup.books.map((b) => `${b.name} ${monthHours(b)} h`).join(', ');
  const others = setup.curve.base.lines.some((l) => l.processType !== process) ? '; other process types as written' + (setup.autoscaled.some((a) => a.processType !== process) ? ', autoscaled ones at their min' : '') : '';
  return {
    name: 'cost-by-count',
    title: `What a month costs by number of ${process} dynos`,
    caption:
      `${r.scenario.name}: the month's bill (${month}) with 1 to ${Math.max(...setup.curve.counts)} ${process} dynos up all month${others}. ` +
      'Solid lines are each price book as billed, dashed ones the same without the free dyno-hours; diamonds mark the scenario\'s own formation' +
      (band.length > 0 ? ' (the shaded band is the autoscaler\'s range).' : '.'),
    spec: topLevel(`${r.scenario.name}: a month's bill by number of ${process} dynos`, `price books ${setup.books.map((b) => b.name).join(' and ')}; diamonds: the scenario's formation`, {
      width: WIDTH,
      height: HEIGHT + 60,
      layer: layers,
      resolve: { scale: { color: 'shared' } },
    }),
  };
}

function costByProcess(r: CostResult): Chart {
  const { table } = r;
  const rows = table.rows.length <= MAX_BARS ? table.rows : table.rows.filter((x) => x.kind !== 'what-if');
  const bar = (alternative: string, book: string): string => `${alternative} · ${book}`;
  const order = rows.map((x) => bar(x.alternative, x.book));
  // Segments laid end to end by hand (web first, then the other types, one-offs last), so
  // that each can carry its size as a label; one colour per process type in every book.
  const rank = (l: CostRow['lines'][number]): string => `${l.processType === 'web' ? 0 : l.oneOff ? 2 : 1}${l.processType}\u0000${l.size}`;
  const segments = rows.flatMap((row) => {
    let at = 0;
    return [...row.lines]
      .filter((l) => l.monthlyUsd > 0)
      .sort((a, b) => (rank(a) < rank(b) ? -1 : 1))
      .map((l) => {
        const seg = { bar: bar(row.alternative, row.book), process: l.processType, size: l.size, from: at, to: at + l.monthlyUsd, mid: at + l.monthlyUsd / 2 };
        at += l.monthlyUsd;
        return seg;
      });
  });
  const types = [...new Set(segments.map((g) => g.process))].sort((a, b) => (a === 'web' ? -1 : b === 'web' ? 1 : a < b ? -1 : 1));
  const totals = rows.map((row) => ({
    bar: bar(row.alternative, row.book),
    usd: row.monthlyUsd,
    noFree: row.monthlyUsdNoFree,
    end: Math.max(row.monthlyUsd, row.monthlyUsdNoFree),
    label: `${row.estimate ? '≈' : ''}${usdText(row.monthlyUsd)}` + (row.monthlyUsdNoFree > row.monthlyUsd ? ` (${usdText(row.monthlyUsdNoFree)} without free hours)` : ''),
  }));
  const savings = totals.filter((t) => t.noFree > t.usd);
  const top = Math.max(1, ...totals.map((t) => t.end));
  const y = { field: 'bar', type: 'nominal', title: null, sort: order, axis: { labelLimit: 320 } };
  // Room right of every bar for its label (about 6.5 px a character at 11 px).
  const domainMax = Math.max(...totals.map((t) => t.end / Math.max(0.2, 1 - ([...t.label].length * 6.5 + 12) / BAR_WIDTH)), top);
  const x = { field: 'usd', type: 'quantitative', title: '$ a month', axis: { format: '$,.0f' }, scale: { domainMax } };
  const layers: Record<string, unknown>[] = [];
  if (savings.length > 0) {
    // The bill without free hours, as a dashed outline behind the bar: what the free hours save sticks out.
    layers.push({ data: { values: savings }, mark: { type: 'bar', fill: null, stroke: '#777', strokeDash: [4, 3], strokeWidth: 1 }, encoding: { y, x: { ...x, field: 'noFree' } } });
  }
  layers.push(
    {
      data: { values: segments },
      mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
      encoding: { y, x: { ...x, field: 'from' }, x2: { field: 'to' }, color: { field: 'process', type: 'nominal', title: 'process type', scale: { domain: types }, legend: { orient: 'bottom', direction: 'horizontal' } } },
    },
    // The size on each segment wide enough to hold it.
    { data: { values: segments.filter((g) => ((g.to - g.from) / domainMax) * BAR_WIDTH >= g.size.length * 6.5 + 8) }, mark: { type: 'text', color: 'white', fontSize: 10 }, encoding: { y, x: { ...x, field: 'mid' }, text: { field: 'size' } } },
    { data: { values: totals }, mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { y, x: { ...x, field: 'end' }, text: { field: 'label' } } },
  );
  return {
    name: 'cost-by-process',
    title: 'A month\'s bill by process type and size',
    caption:
      `${r.scenario.name}: each formation's monthly bill in each price book, split by process type and size, free hours taken off where the book grants them` +
      (savings.length > 0 ? '; the dashed outline is the same bill without free hours.' : '.'),
    spec: topLevel(`${r.scenario.name}: a month's bill by process type and size`, savings.length > 0 ? 'each formation in each price book, as billed; dashed: without free hours' : 'each formation in each price book, as billed', {
      width: BAR_WIDTH,
      height: { step: 26 },
      layer: layers,
    }),
  };
}
