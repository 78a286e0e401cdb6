/** The readable summary of a sweep: its size, a table of the points when there are few, and the best point by p95 latency. */
import type { PointResult } from '../../studies/sweep/tables.ts';
import { pointCount, type SweepSpec } from '../../studies/sweep/grid.ts';
import { fmtUsd } from './text.ts';
import { PLAIN, type Styler } from './style.ts';
import { tableLines, type Cell, type Column } from './table.ts';

/** Points listed one a line; a bigger grid is summed up by its best point only. */
const TABLE_POINTS = 24;

function finite(x: number | undefined | null): x is number {
  return x !== undefined && x !== null && Number.isFinite(x);
}

function ms(x: number | undefined | null): string {
  if (!finite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function withMs(x: number | undefined | null): string {
  return finite(x) ? `${ms(x)} ms` : '–';
}

function percent(x: number | undefined | null): string {
  return finite(x) ? `${(x * 100).toFixed(3)}%` : '–';
}

function usd(x: number | undefined | null): string {
  return finite(x) ? fmtUsd(x) : '–';
}

/** The p95 interval over the replications, "199–973 ms" (blank with one replication). */
function p95Interval(p: PointResult): string {
  const iv = p.metrics.p95;
  return iv !== null && iv.n > 1 && Number.isFinite(iv.half) ? `${ms(iv.lo)}–${ms(iv.hi)} ms` : '';
}

function p95Text(p: PointResult): string {
  const iv = p.metrics.p95;
  if (iv === null) return '–';
  const range = p95Interval(p);
  return range === '' ? withMs(iv.mean) : `${withMs(iv.mean)} (95% interval ${range})`;
}

export function pointLabel(spec: SweepSpec, p: PointResult): string {
  return spec.axes.length === 0 ? 'the scenario' : spec.axes.map((a, k) => `${a.path}=${p.cells[k]}`).join(' · ');
}

export function sweepSummaryText(title: string, spec: SweepSpec, points: readonly PointResult[], st: Styler = PLAIN): string {
  const n = pointCount(spec.axes);
  const R = spec.replications;
  const seeds = R === 1 ? `seed ${spec.seed}` : `seeds ${spec.seed}–${spec.seed + R - 1}`;
  const lines = [st.bold(`${title}: ${n} point${n === 1 ? '' : 's'} × ${R} replication${R === 1 ? '' : 's'} = ${n * R} run${n * R === 1 ? '' : 's'} (${seeds})`)];
  let best: PointResult | null = null;
  for (const p of points) {
    const m = p.metrics.p95?.mean;
    if (m !== undefined && (best === null || m < best.metrics.p95!.mean)) best = p;
  }
  if (points.length <= TABLE_POINTS) {
    const R_: Column = { align: 'right' };
    const columns: Column[] = [
      ...spec.axes.map((a, k): Column => ({ header: a.path, align: points.every((p) => /^-?\d+(\.\d+)?$/.test(p.cells[k]!)) ? 'right' : 'left' })),
      { ...R_, header: 'p95' },
      { ...R_, header: '95% interval' },
      { ...R_, header: 'pooled p99' },
      { ...R_, header: 'errors' },
      { ...R_, header: 'monthly' },
    ];
    const rows = points.map((p): Cell[] => [
      ...p.cells,
      { text: withMs(p.metrics.p95?.mean), style: p === best && points.length > 1 ? 'green' : undefined },
      p95Interval(p),
      withMs(p.pooled['pooled.p99']),
      percent(p.metrics.errors?.mean),
      usd(p.metrics.monthly?.mean),
    ]);
    lines.push(...tableLines(columns, rows, { styler: st, indent: 2 }));
  }
  if (best !== null && points.length > 1) lines.push(`${st.bold('lowest p95:')} ${pointLabel(spec, best)}: ${p95Text(best)}`);
  return lines.join('\n') + '\n';
}
