/** The readable summary of a sweep: its size, a table of the points when there are few, and the best point by p95 latency. */
import type { PointResult } from '../../studies/sweep/tables.ts';
import { pointCount, type SweepSpec } from '../../studies/sweep/grid.ts';
import { fmtUsd, WIDTH, wrap } from './text.ts';
import { PLAIN, type Styler } from './style.ts';
import { tableLines, type Cell, type Column } from './table.ts';
import { pctText, unmetText, type PrecisionReport } from '../../studies/parallel/precision.ts';
import { METRICS } from '../../studies/parallel/outcome.ts';

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

export function sweepSummaryText(title: string, spec: SweepSpec, points: readonly PointResult[], st: Styler = PLAIN, precision: PrecisionReport | null = null): string {
  const n = pointCount(spec.axes);
  const R = spec.replications;
  const seeds = R === 1 ? `seed ${spec.seed}` : `seeds ${spec.seed}–${spec.seed + R - 1}`;
  const lines = [st.bold(`${title}: ${n} point${n === 1 ? '' : 's'} × ${R} replication${R === 1 ? '' : 's'} = ${n * R} run${n * R === 1 ? '' : 's'} (${seeds})`)];
  if (precision !== null) lines.push(precisionLine(spec, points, precision, st));
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

/** With --precision: met after how many replications, or which point's metrics were not at the maximum. */
export function precisionLine(spec: SweepSpec, points: readonly PointResult[], p: PrecisionReport, st: Styler = PLAIN): string {
  const target = pctText(p.relative);
  const worst = Math.max(0, ...p.groups.flatMap((g) => p.metrics.map((k) => g.metrics[k]?.relative ?? 0)));
  if (p.met) return wrap(`precision ±${target} (${p.metrics.join(', ')}) met after ${p.replications} replications (batches ${p.groups[0]!.batches.join(', ')}); the widest half-width is ±${pctText(worst)} of its mean`, WIDTH);
  return st.red(wrap(`precision ±${target} not met at the maximum of ${p.max} replications: ${unmetText(p, (g) => pointLabel(spec, points[g]!))}`, WIDTH));
}

const JSON_DECIMALS: Readonly<Record<string, number>> = { ms: 3, share: 8, usd: 4, h: 4, dynos: 4, count: 3 };

function rounded(x: number | null, digits: number): number | null {
  if (x === null) return null;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** sweep-precision.json (with --precision only): the target, the replications it took, and each point's half-widths. */
export function sweepPrecisionJson(spec: SweepSpec, points: readonly PointResult[], p: PrecisionReport): string {
  const obj = {
    target: p.relative,
    level: p.level,
    metrics: p.metrics,
    minReplications: p.min,
    maxReplications: p.max,
    replications: p.replications,
    batches: p.groups[0]!.batches,
    met: p.met,
    points: p.groups.map((g, i) => ({
      values: Object.fromEntries(spec.axes.map((a, k) => [a.path, points[i]!.cells[k]])),
      met: g.met,
      metrics: Object.fromEntries(
        p.metrics.map((key) => {
          const m = g.metrics[key]!;
          const d = JSON_DECIMALS[METRICS.find((x) => x.key === key)!.unit] ?? 6;
          return [key, { n: m.n, mean: rounded(m.mean, d), half: rounded(m.half, d), relative: rounded(m.relative, 6), met: m.met }];
        }),
      ),
    })),
  };
  return JSON.stringify(obj, null, 2) + '\n';
}
