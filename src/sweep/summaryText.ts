/** The readable summary of a sweep: its size, a table of the points when there are few, and the best point by p95 latency. */
import type { PointResult } from './tables.ts';
import { pointCount, type SweepSpec } from './grid.ts';

/** Points listed one a line; a bigger grid is summed up by its best point only. */
const TABLE_POINTS = 24;

function ms(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function percent(x: number | undefined | null): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(3)}%`;
}

function usd(x: number | undefined | null): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '–' : `$${x.toFixed(2)}`;
}

function p95Text(p: PointResult): string {
  const iv = p.metrics.p95;
  if (iv === null) return '–';
  return iv.n > 1 && Number.isFinite(iv.half) ? `${ms(iv.mean)} (${ms(iv.lo)}–${ms(iv.hi)})` : ms(iv.mean);
}

export function pointLabel(spec: SweepSpec, p: PointResult): string {
  return spec.axes.length === 0 ? 'the scenario' : spec.axes.map((a, k) => `${a.path}=${p.cells[k]}`).join(' · ');
}

export function sweepSummaryText(title: string, spec: SweepSpec, points: readonly PointResult[]): string {
  const n = pointCount(spec.axes);
  const R = spec.replications;
  const seeds = R === 1 ? `seed ${spec.seed}` : `seeds ${spec.seed}–${spec.seed + R - 1}`;
  let out = `${title}: ${n} point${n === 1 ? '' : 's'} × ${R} replication${R === 1 ? '' : 's'} = ${n * R} run${n * R === 1 ? '' : 's'} (${seeds})\n`;
  if (points.length <= TABLE_POINTS) {
    const head = [...spec.axes.map((a) => a.path), 'p95 ms (95% interval)', 'pooled p99 ms', 'errors', 'monthly'];
    const rows = points.map((p) => [...p.cells, p95Text(p), ms(p.pooled['pooled.p99']), percent(p.metrics.errors?.mean), usd(p.metrics.monthly?.mean)]);
    const all = [head, ...rows];
    const widths = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
    const numeric = (c: number): boolean => c >= spec.axes.length;
    for (const r of all) out += `  ${r.map((cell, c) => (numeric(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ')}`.trimEnd() + '\n';
  }
  let best: PointResult | null = null;
  for (const p of points) {
    const m = p.metrics.p95?.mean;
    if (m !== undefined && (best === null || m < best.metrics.p95!.mean)) best = p;
  }
  if (best !== null && points.length > 1) out += `lowest p95: ${pointLabel(spec, best)}: ${p95Text(best)} ms\n`;
  return out;
}
