/**
 * What `dynosim plan` reports: the readable answer, plan.csv (every probe) and plan.json
 * (the answer, the runners-up, the SLOs and the setup). Pure: the same search gives the
 * same text and bytes.
 */
import { stringify } from 'csv-stringify/sync';
import { metricColumn } from '../../studies/parallel/outcome.ts';
import { boundSide, formatMetric, type Slo } from '../../studies/plan/slo.ts';
import type { Combination, CombinationResult, PlanResult, Probe } from '../../studies/plan/search.ts';
import type { PlanSetup, SkippedCombination } from '../../studies/plan/runPlan.ts';
import { formationLabel, strategyLabel } from '../../studies/plan/labels.ts';
import { packParts, WIDTH, wrap } from './text.ts';
import { pctText } from '../../studies/parallel/precision.ts';
import { PLAIN, type Styler } from './style.ts';
import { tableLines, wrapWords, type Cell, type Column } from './table.ts';

/** Runners-up the text shows. */
export const RUNNERS_UP = 5;

export { formationLabel, strategyLabel } from '../../studies/plan/labels.ts';

function costText(p: Probe): string {
  const dynos = p.combo.autoscaler !== null && p.dynos !== null ? ` (mean ${formatMetric(p.dynos, 'dynos')})` : '';
  return `${formatMetric(p.monthly, 'usd')}/month${dynos}`;
}

/** "4 × performance-m, concurrency 8, fixed: $1000.00/month"; under an autoscaler "up to 6 × …: $420.00/month (mean 4.2 dynos)". */
export function answerLine(p: Probe): string {
  return `${formationLabel(p.combo, p.n)}: ${costText(p)}`;
}

/** The columns that name a combination: size, concurrency, strategy. */
const COMBO_COLUMNS: readonly Column[] = [{ header: 'size' }, { header: 'concurrency', align: 'right' }, { header: 'strategy' }];

function comboCells(c: Combination): Cell[] {
  return [c.size, String(c.concurrency), strategyLabel(c)];
}

/**
 * How each probe fares against each SLO, a line per SLO: "p95 < 500 ms  395 ms  upper  396 ms  met",
 * aligned across every probe shown. One list of lines per probe.
 */
function checkLines(probes: readonly Probe[], st: Styler): string[][] {
  const rows = probes.flatMap((p) =>
    p.checks.map((ch): Cell[] => {
      const unit = ch.slo.unit;
      return [
        `${ch.slo.metric} ${ch.slo.op} ${formatMetric(ch.slo.limit, unit)}`,
        formatMetric(ch.mean, unit),
        ch.bound === null ? 'not measured in every run' : boundSide(ch.slo),
        ch.bound === null ? '' : formatMetric(ch.bound, unit),
        ch.met ? { text: 'met', style: 'green' } : { text: 'missed', style: 'red' },
      ];
    }),
  );
  const lines = tableLines([{}, { align: 'right' }, {}, { align: 'right' }, {}], rows, { styler: st, indent: 4 });
  let at = 0;
  return probes.map((p) => lines.slice(at, (at += p.checks.length)));
}

/** A line of text, wrapped to the width, continued under itself with `more` spaces of indent. */
function wrapped(text: string, indent: number, more: number): string[] {
  return wrapWords(text, WIDTH - indent - more).map((l, i) => ' '.repeat(indent + (i === 0 ? 0 : more)) + l);
}

/** The readable report. */
export function planText(setup: PlanSetup, slos: readonly Slo[], plan: PlanResult, skipped: readonly SkippedCombination[], st: Styler = PLAIN): string {
  const lines: string[] = [];
  const section = (title: string): void => void lines.push('', st.bold(title));
  const confidence = `${setup.confidence * 100}%`;
  lines.push(
    st.bold(`dynosim plan: ${setup.scenario} on ${setup.platform}`),
    wrap(`SLOs ${slos.map((s) => s.text).join(', ')}, each met with ${confidence} confidence (${replicationsText(setup)})`, WIDTH),
    '',
  );
  const none = plan.results.filter((r): r is Extract<CombinationResult, { status: 'infeasible' }> => r.status === 'infeasible');
  const shown = plan.runnersUp.slice(0, RUNNERS_UP);
  const closest = none.flatMap((r) => (r.probe === null ? [] : [r.probe]));
  const checks = checkLines([...(plan.answer === null ? [] : [plan.answer.probe]), ...shown.map((r) => r.probe), ...closest], st);
  if (plan.answer === null) lines.push(st.red(`no formation within --max-count ${setup.maxCount} meets every SLO`));
  else lines.push(`${st.bold('answer:')} ${st.green(answerLine(plan.answer.probe))}`, ...checks.shift()!);
  if (shown.length > 0) {
    section(`runners-up${plan.runnersUp.length > shown.length ? ` (${shown.length} of ${plan.runnersUp.length})` : ''}:`);
    for (const r of shown) lines.push(`  ${answerLine(r.probe)}`, ...checks.shift()!);
  }
  if (none.length > 0) {
    section(`cannot meet the SLOs within --max-count ${setup.maxCount}:`);
    for (const r of none) lines.push(...wrapped(`${formationLabel(r.combo)}: ${r.reason}`, 2, 2), ...(r.probe === null ? [] : checks.shift()!));
  }
  const pruned = plan.results.filter((r): r is Extract<CombinationResult, { status: 'pruned' }> => r.status === 'pruned');
  if (pruned.length > 0) {
    section('not searched further (it cannot be cheaper than a formation found to meet every SLO):');
    lines.push(
      ...tableLines(
        [...COMBO_COLUMNS, { header: 'needs', align: 'right' }, { header: 'costs at least', align: 'right' }, { header: 'above', align: 'right' }],
        pruned.map((r) => [...comboCells(r.combo), `${r.count}+ dynos`, `${formatMetric(r.floorUsd, 'usd')}/month`, formatMetric(r.ceilingUsd, 'usd')]),
        { styler: st, indent: 2 },
      ),
    );
  }
  if (skipped.length > 0) {
    section('skipped (the scenario rejects them):');
    const rows = skipped.map((s, i) => [
      s.size ?? 'as written',
      s.concurrency === null ? 'as written' : String(s.concurrency),
      s.strategy === 'base' ? 'the scenario' : s.strategy,
      i > 0 && skipped[i - 1]!.reason === s.reason ? { text: 'the same', style: 'dim' as const } : s.reason,
    ]);
    lines.push(...tableLines([...COMBO_COLUMNS, { header: 'why', wrap: true }], rows, { styler: st, indent: 2 }));
  }
  const searched = plan.results.length;
  lines.push(
    '',
    st.dim(`each SLO: the mean over the replications, and the one-sided ${confidence} bound it is judged on`),
    ...packParts(
      [
        `searched ${searched} combination${searched === 1 ? '' : 's'} in ${plan.probes.length} probe${plan.probes.length === 1 ? '' : 's'} (${plan.simulations} simulations)`,
        `one probe per count up to --max-count would take ${bruteForceProbes(plan, setup.maxCount)}`,
      ],
      WIDTH,
      '; ',
    ).map(st.dim),
  );
  return lines.join('\n') + '\n';
}

/** "10 replications a probe", or with a precision how many a probe takes. */
function replicationsText(setup: PlanSetup): string {
  const p = setup.precision;
  if (p === undefined || p === null) return `${setup.replications} replications a probe`;
  return `replications a probe until the 95% half-width of ${p.metrics.length === 1 ? '' : 'each of '}${p.metrics.join(', ')} is within ±${pctText(p.relative)} of its mean, ${p.min} to ${p.max}`;
}

/** Probes a search of every count from 1 to --max-count would take over the same combinations. */
export function bruteForceProbes(plan: PlanResult, maxCount: number): number {
  return plan.results.length * maxCount;
}

function num(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(10));
}

/** plan.csv's columns before the SLOs' (the formation, then its mean monthly cost and mean web dynos). */
const PLAN_COLUMNS = ['strategy', 'autoscaler', 'size', 'concurrency', 'formation_count', 'replications', 'feasible', metricColumn('monthly', 'mean'), metricColumn('dynos', 'mean')];

/** The SLO columns of plan.csv: each metric's mean and each bound an SLO is judged on (`p95_mean_ms`, `p95_upper95_ms`), but a column already there. */
function sloColumns(slos: readonly Slo[]): { header: string; value: (p: Probe) => number | null }[] {
  const cols: { header: string; value: (p: Probe) => number | null }[] = [];
  const seen = new Set<string>(PLAN_COLUMNS);
  const add = (header: string, value: (p: Probe) => number | null): void => {
    if (seen.has(header)) return;
    seen.add(header);
    cols.push({ header, value });
  };
  // A probe of an earlier stage was judged on its own process type's SLOs only: the others' cells are empty.
  const check = (p: Probe, slo: Slo) => p.checks.find((ch) => ch.slo === slo);
  for (const slo of slos) {
    add(metricColumn(slo.metric, 'mean'), (p) => check(p, slo)?.mean ?? null);
    add(metricColumn(slo.metric, `${boundSide(slo)}95`), (p) => check(p, slo)?.bound ?? null);
  }
  return cols;
}

/** plan.csv: one row per probe, in the order run. */
export function planCsv(slos: readonly Slo[], plan: PlanResult): string {
  const cols = sloColumns(slos);
  // A plan that searched a worker type says which process type each probe counted (a web-only plan's file is as it was).
  const typed = plan.probes.some((p) => p.combo.process !== undefined);
  const header = [...(typed ? ['process'] : []), ...PLAN_COLUMNS, ...cols.map((c) => c.header)];
  const rows = plan.probes.map((p) => [
    ...(typed ? [p.combo.process ?? 'web'] : []),
    p.combo.strategy,
    p.combo.autoscaler ?? 'fixed',
    p.combo.size,
    p.combo.concurrency,
    p.n,
    p.replications,
    p.feasible ? 'yes' : 'no',
    cell(p.monthly),
    cell(p.dynos),
    ...cols.map((c) => cell(c.value(p))),
  ]);
  return stringify([header, ...rows], { record_delimiter: '\n' });
}

function cell(x: number | null): string | number {
  const v = num(x);
  return v === null ? '' : v;
}

function comboJson(c: Combination) {
  return { ...(c.process === undefined ? {} : { process: c.process }), strategy: c.strategy, autoscaler: c.autoscaler, size: c.size, concurrency: c.concurrency, ...(c.with === undefined ? {} : { with: c.with }) };
}

function probeJson(p: Probe) {
  return {
    ...comboJson(p.combo),
    /** The web count, or the autoscaler's ceiling (max). */
    [p.combo.autoscaler === null ? 'count' : 'max']: p.n,
    monthlyUsd: num(p.monthly),
    meanWebDynos: num(p.dynos),
    slos: p.checks.map((ch) => ({ slo: ch.slo.text, mean: num(ch.mean), [`${boundSide(ch.slo)}95`]: num(ch.bound), met: ch.met })),
  };
}

/** plan.json: the answer, the runners-up, what could not be met, the SLOs and the setup. */
export function planJson(setup: PlanSetup, slos: readonly Slo[], plan: PlanResult, skipped: readonly SkippedCombination[]): object {
  return {
    scenario: setup.scenario,
    file: setup.file,
    platform: setup.platform,
    slos: slos.map((s) => ({ text: s.text, metric: s.metric, op: s.op, limit: s.limit, unit: s.unit })),
    setup: {
      strategies: setup.strategies,
      sizes: setup.sizes,
      concurrency: setup.concurrency,
      replications: setup.replications,
      ...(setup.precision === undefined || setup.precision === null ? {} : { precision: setup.precision }),
      ...(setup.processes === undefined || (setup.processes.length === 1 && setup.processes[0] === 'web') ? {} : { processes: setup.processes, workerSizes: setup.workerSizes ?? null, workerConcurrency: setup.workerConcurrency ?? null }),
      seed: setup.seed,
      maxCount: setup.maxCount,
      set: setup.set,
      confidence: setup.confidence,
    },
    answer: plan.answer === null ? null : probeJson(plan.answer.probe),
    runnersUp: plan.runnersUp.map((r) => probeJson(r.probe)),
    cannotMeet: plan.results.flatMap((r) => (r.status === 'infeasible' ? [{ ...comboJson(r.combo), reason: r.reason, lastProbe: r.probe === null ? null : probeJson(r.probe) }] : [])),
    pruned: plan.results.flatMap((r) => (r.status === 'pruned' ? [{ ...comboJson(r.combo), atLeast: r.count, floorUsd: num(r.floorUsd), ceilingUsd: num(r.ceilingUsd) }] : [])),
    skipped,
    search: {
      combinations: plan.results.length,
      probes: plan.probes.length,
      simulations: plan.simulations,
      bruteForceProbes: bruteForceProbes(plan, setup.maxCount),
    },
  };
}
