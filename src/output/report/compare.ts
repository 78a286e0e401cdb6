/**
 * A comparison (studies/compare) as the user reads it: compare.csv, compare.json and the
 * text table. Numbers in files are rounded per unit (ms to 3 decimals, USD to 2, shares
 * to 6), so that the same runs give byte-identical files.
 */
import { stringify } from 'csv-stringify/sync';
import { round, type Comparison, type Difference, type Estimate, type Metric, type Unit } from '../../studies/compare/compare.ts';
import { fmtInt, TIME_HEADERS, WIDTH, wrap } from './text.ts';
import { PLAIN, type Styler } from './style.ts';
import { tableLines, type Cell, type Column } from './table.ts';
import { METRIC_COLUMNS, METRICS, type MetricKey } from '../../studies/parallel/outcome.ts';
import { pctText, unmetText } from '../../studies/parallel/precision.ts';

const METRIC_UNITS = Object.fromEntries(METRICS.map((m) => [m.key, m.unit])) as Record<MetricKey, Unit>;

// ---------------------------------------------------------------------------------------
// Files

/** Decimals kept in files, by unit. */
export const FILE_DECIMALS: Record<Unit, number> = { ms: 3, share: 6, usd: 2, h: 6, dynos: 6, count: 3 };
/** Decimals of relative differences (percent) in files. */
const PCT_DECIMALS = 2;

function roundOrNull(x: number | null, digits: number): number | null {
  return x === null ? null : round(x, digits);
}

function cell(x: number | null, digits: number): string {
  return x === null ? '' : round(x, digits).toFixed(digits);
}

/**
 * compare.csv's columns. A row holds one metric, so `mean`, `lo`, `hi`, `diff`, `diff_lo` and
 * `diff_hi` are in the row's `unit` (the unit suffix of the metric's column in sweep.csv: ms,
 * fraction, usd, usd_month, hours, count); the `diff_pct` columns are percentages.
 */
export const COMPARE_CSV_HEADER = ['alternative', 'metric', 'unit', 'replications', 'mean', 'lo', 'hi', 'diff', 'diff_lo', 'diff_hi', 'diff_pct', 'diff_lo_pct', 'diff_hi_pct', 'significant'] as const;

/** compare.csv: a row per alternative and metric; the difference columns are empty for the first alternative. */
export function compareCsv(c: Comparison): string {
  const rows: string[][] = [[...COMPARE_CSV_HEADER]];
  c.alternatives.forEach((alt, a) => {
    for (const mc of c.metrics) {
      const d = FILE_DECIMALS[mc.metric.unit];
      const e = mc.estimates[a]!;
      const diff = mc.differences[a] ?? null;
      rows.push([
        alt.name,
        mc.metric.key,
        METRIC_COLUMNS[mc.metric.key].unit,
        String(e.n),
        cell(e.mean, d),
        cell(e.lo, d),
        cell(e.hi, d),
        diff === null ? '' : cell(diff.mean, d),
        diff === null ? '' : cell(diff.lo, d),
        diff === null ? '' : cell(diff.hi, d),
        diff === null ? '' : cell(diff.pct, PCT_DECIMALS),
        diff === null ? '' : cell(diff.pctLo, PCT_DECIMALS),
        diff === null ? '' : cell(diff.pctHi, PCT_DECIMALS),
        diff === null ? '' : String(diff.significant),
      ]);
    }
  });
  return stringify(rows, { record_delimiter: '\n' });
}

/** compare.json: the setup, the alternatives, every figure of compare.csv, pooled latency and the replications' values. */
export function compareJsonObject(c: Comparison): unknown {
  const est = (e: Estimate, d: number) => ({ n: e.n, mean: roundOrNull(e.mean, d), lo: roundOrNull(e.lo, d), hi: roundOrNull(e.hi, d) });
  return {
    setup: {
      dynosim: c.setup.version,
      files: c.setup.files,
      variants: c.setup.variants,
      base: c.setup.base,
      replications: c.setup.replications,
      seeds: c.setup.seeds,
      set: c.setup.set,
      level: c.setup.level,
      reference: c.alternatives[0]!.name,
    },
    alternatives: c.alternatives.map((alt, a) => ({
      name: alt.name,
      file: alt.file,
      variant: alt.variant,
      scenario: alt.scenario,
      metrics: Object.fromEntries(
        c.metrics.map((mc) => {
          const d = FILE_DECIMALS[mc.metric.unit];
          const diff = mc.differences[a] ?? null;
          return [
            mc.metric.key,
            {
              ...est(mc.estimates[a]!, d),
              ...(diff === null
                ? {}
                : { diff: { ...est(diff, d), pct: roundOrNull(diff.pct, PCT_DECIMALS), pctLo: roundOrNull(diff.pctLo, PCT_DECIMALS), pctHi: roundOrNull(diff.pctHi, PCT_DECIMALS), pctMethod: diff.pctMethod, significant: diff.significant } }),
            },
          ];
        }),
      ),
      pooled: c.pooled[a],
      values: Object.fromEntries(c.metrics.map((mc) => [mc.metric.key, c.values[a]![mc.metric.key].map((x) => roundOrNull(x, FILE_DECIMALS[mc.metric.unit]))])),
    })),
    metrics: c.metrics.map((mc) => ({ key: mc.metric.key, label: mc.metric.label, unit: mc.metric.unit, better: mc.metric.better })),
    ...(c.precision === null ? {} : { precision: precisionJson(c) }),
  };
}

/** compare.json's `precision` (with --precision only): the target, the replications it took, and each alternative's half-widths. */
function precisionJson(c: Comparison): unknown {
  const p = c.precision!;
  return {
    target: p.relative,
    level: p.level,
    metrics: p.metrics,
    minReplications: p.min,
    maxReplications: p.max,
    replications: p.replications,
    batches: p.groups[0]!.batches,
    met: p.met,
    alternatives: Object.fromEntries(
      c.alternatives.map((alt, a) => [
        alt.name,
        Object.fromEntries(
          p.metrics.map((key) => {
            const m = p.groups[a]!.metrics[key]!;
            const d = FILE_DECIMALS[METRIC_UNITS[key]];
            return [key, { n: m.n, mean: roundOrNull(m.mean, d), half: roundOrNull(m.half, d), relative: roundOrNull(m.relative, 6), met: m.met }];
          }),
        ),
      ]),
    ),
  };
}

export function compareJson(c: Comparison): string {
  return JSON.stringify(compareJsonObject(c), null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------
// The readable table

/**
 * Decimals for figures of the table: three significant digits of the largest of them, at
 * most 3 decimals (a row's means share theirs; each difference has its own, since it can be
 * far smaller than the means).
 */
function displayDecimals(unit: Unit, figures: readonly (number | null)[]): number {
  if (unit === 'usd') return 2;
  if (unit === 'share') return 3; // shown in percent
  const m = Math.max(0, ...figures.map((x) => (x === null ? 0 : Math.abs(x))));
  if (m === 0) return unit === 'count' ? 0 : 1;
  const digits = 2 - Math.floor(Math.log10(m));
  return Math.min(unit === 'count' ? 1 : 3, Math.max(0, digits));
}

/** Decimals that show the narrowest of some half-widths to one significant digit (at most 3). */
function halfDecimals(unit: Unit, halves: readonly (number | null)[]): number {
  if (unit === 'usd' || unit === 'share') return displayDecimals(unit, []);
  const h = Math.min(Infinity, ...halves.filter((x): x is number => x !== null && x > 0));
  if (!Number.isFinite(h)) return 0;
  return Math.min(unit === 'count' ? 1 : 3, Math.max(0, -Math.floor(Math.log10(h))));
}

/** A figure in display units (shares in percent). */
function scaled(unit: Unit, x: number): number {
  return unit === 'share' ? x * 100 : x;
}

function num(unit: Unit, x: number, d: number, sign: boolean): string {
  const v = round(scaled(unit, x), d);
  const body = Math.abs(v).toFixed(d);
  const s = v < 0 ? '-' : sign ? '+' : '';
  return unit === 'usd' ? `${s}$${body}` : `${s}${body}`;
}

/** The unit after a figure (dollars go before it); differences of shares are percentage points. */
const SUFFIX: Record<Unit, string> = { ms: ' ms', share: '%', usd: '', h: ' h', dynos: ' dynos', count: '' };
const DIFF_SUFFIX: Record<Unit, string> = { ...SUFFIX, share: ' pp' };

/** "87.0 ±0.1 ms", "4.189 ±0.015%", "$33.33 ±$0.00"; "(n=7)" when some replications had no figure. */
function meanCell(unit: Unit, e: Estimate, d: number, replications: number): string {
  if (e.mean === null) return '—';
  const half = e.half === null ? '' : ` ±${num(unit, e.half, d, false)}`;
  const few = e.n < replications ? ` (n=${e.n})` : '';
  return `${num(unit, e.mean, d, false)}${half}${SUFFIX[unit]}${few}`;
}

/** A difference's cells: the mean difference, its interval, the change relative to the reference, and the verdict. */
function diffCells(metric: Metric, e: Difference | null, replications: number): Cell[] {
  if (e === null || e.mean === null) return ['—'];
  const unit = metric.unit;
  const d = displayDecimals(unit, [e.mean, e.lo, e.hi]);
  const range = e.lo === null || e.hi === null ? '' : `[${num(unit, e.lo, d, true)}, ${num(unit, e.hi, d, true)}]${DIFF_SUFFIX[unit]}`;
  const pct = e.pct === null ? '' : `${e.pct >= 0 ? '+' : '-'}${Math.abs(round(e.pct, 1)).toFixed(1)}%`;
  const few = e.n < replications ? ` (n=${e.n})` : '';
  const better = (metric.better === 'lower') === e.mean < 0;
  const verdict: Cell = e.significant ? { text: better ? 'better' : 'worse', style: better ? 'green' : 'red' } : '';
  return [`${num(unit, e.mean, d, true)}${DIFF_SUFFIX[unit]}${few}`, range, pct, verdict];
}

function seedRange(seeds: readonly number[]): string {
  if (seeds.length === 1) return `seed ${seeds[0]}`;
  return `seeds ${seeds[0]}–${seeds[seeds.length - 1]}`;
}

function pooledMs(ms: number | null): string {
  if (ms === null) return '—';
  const d = ms === 0 ? 0 : Math.min(3, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(ms)))));
  return `${ms.toFixed(d)} ms`;
}

const R: Column = { align: 'right' };

/**
 * The metrics: a row each with the means of every alternative, then for each alternative
 * after the first a table of its paired differences to the first (side by side they would
 * not fit 100 columns).
 */
function metricTables(c: Comparison, st: Styler): string[] {
  const s = c.setup;
  const alts = c.alternatives;
  const ref = alts[0]!.name;
  const pct = Math.round(s.level * 100);
  const label: Column = { header: 'metric', style: 'bold' };
  const means = c.metrics.map((mc) => {
    const d = Math.max(
      displayDecimals(mc.metric.unit, mc.estimates.map((e) => e.mean)),
      halfDecimals(mc.metric.unit, mc.estimates.map((e) => e.half)),
    );
    return [mc.metric.label, ...mc.estimates.map((e) => meanCell(mc.metric.unit, e, d, s.replications))];
  });
  const out = tableLines([label, ...alts.map((a): Column => ({ ...R, header: a.name }))], means, { styler: st });
  alts.slice(1).forEach((a, k) => {
    const diffs = c.metrics.map((mc) => [mc.metric.label, ...diffCells(mc.metric, mc.differences[k + 1] ?? null, s.replications)]);
    const columns: Column[] = [label, { ...R, header: 'difference' }, { ...R, header: `${pct}% interval` }, { ...R, header: 'change' }, {}];
    out.push('', st.bold(`${a.name} − ${ref}`), ...tableLines(columns, diffs, { styler: st }));
  });
  return out;
}

/** With --precision: whether it was met, in how many replications, and each named metric's relative half-width by alternative. */
function precisionLines(c: Comparison, st: Styler): string[] {
  const p = c.precision;
  if (p === null) return [];
  const target = pctText(p.relative);
  const head = p.met
    ? `precision ±${target} met after ${p.replications} replications (batches ${p.groups[0]!.batches.join(', ')})`
    : `precision ±${target} not met at the maximum of ${p.max} replications: ${unmetText(p, (g) => c.alternatives[g]!.name)}`;
  const rows = p.metrics.map((key): Cell[] => [
    METRICS.find((m) => m.key === key)!.label,
    ...p.groups.map((g): Cell => {
      const m = g.metrics[key]!;
      const text = m.n === 0 ? 'not measured' : m.relative === null ? (m.half === null ? `n=${m.n}` : 'mean 0') : `±${pctText(m.relative)}`;
      return m.met ? text : { text, style: 'red' };
    }),
  ]);
  return [
    p.met ? wrap(head, WIDTH) : st.red(wrap(head, WIDTH)),
    ...tableLines([{ header: `half-width / mean (target ±${target})` }, ...c.alternatives.map((a): Column => ({ ...R, header: a.name }))], rows, { styler: st, indent: 2 }),
  ];
}

/** The readable comparison: the setup, a row per metric, the pooled latencies, and what the verdicts mean. */
export function compareText(c: Comparison, st: Styler = PLAIN): string {
  const s = c.setup;
  const alts = c.alternatives;
  const ref = alts[0]!.name;
  const pct = Math.round(s.level * 100);
  const lines = [
    st.bold(wrap(`dynosim compare: ${alts.length} alternatives × ${s.replications} replications on common random numbers (${seedRange(s.seeds)})`, WIDTH)),
    ...(s.set.length > 0 ? [`--set ${s.set.join(' ')}`] : []),
    ...precisionLines(c, st),
    '',
    ...tableLines([{}, { style: 'bold' }, {}], alts.map((a) => ['', a.name, a.variant === null ? a.file : `${a.file}, variant ${a.variant}`]), { styler: st }),
    '',
    ...metricTables(c, st),
    '',
    st.bold('pooled over every replication (merged histograms)'),
    ...tableLines(
      [{}, { ...R, header: 'requests' }, ...TIME_HEADERS.slice(0, -1).map((header): Column => ({ ...R, header }))],
      alts.map((a, i) => {
        const l = c.pooled[i]!.latency;
        return [a.name, fmtInt(l.count), ...[l.meanMs, l.p50Ms, l.p95Ms, l.p99Ms, l.p999Ms].map(pooledMs)];
      }),
      { styler: st, indent: 2 },
    ),
    '',
  ];
  const anySignificant = c.metrics.some((mc) => mc.differences.some((d) => d?.significant === true));
  const foot =
    `means ± the half-width of their ${pct}% interval; differences are paired (this − ${ref}, replication by replication), ` +
    `with their ${pct}% interval and the change relative to ${ref} (from the ratio of the paired replications, on the log scale; its interval is in compare.csv); pp: percentage points. ` +
    (anySignificant
      ? 'better, worse: the interval excludes 0, a real difference rather than noise.'
      : `no difference's interval excludes 0: none is distinguishable from noise at ${s.replications} replications.`);
  lines.push(st.dim(wrap(foot, WIDTH)));
  return lines.join('\n') + '\n';
}
