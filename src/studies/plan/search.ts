/**
 * The search of `dynosim plan`: for each combination of scaling strategy, dyno size and
 * concurrency, the fewest web dynos (or, under an autoscaler, the lowest ceiling) that
 * meets every SLO with 95% confidence; the cheapest of those is the answer.
 *
 * It assumes that more dynos never hurt: an SLO that eases with more dynos (latency,
 * errors, availability) that is met at N is met at every count above N. So each
 * combination's least N is found by galloping up from a lower bound (N = L, L+1, L+3,
 * L+7, …, the step doubling) until a count meets them, then bisecting between the last
 * count that missed and the first that met: O(log answer) probes instead of one per
 * count. SLOs that harden with more dynos (a cost ceiling) are judged at that least N:
 * if it misses one, so does every count above it, and the combination cannot meet them
 * all. A probe is `replications` runs of one formation; the probes of up to WAVE
 * combinations go to `evaluate` together, so that one batch keeps every core busy.
 *
 * Combinations are searched cheapest first (the cost of their lower bound, then the price
 * of a dyno). Any formation found to meet every SLO puts a ceiling on the answer's cost;
 * a combination whose cost floor at the least count it may still need is above that
 * ceiling cannot hold the answer and is left (pruned).
 *
 * No I/O: `evaluate` runs the probes. The order of probes, and so everything reported,
 * depends only on the inputs and the outcomes, never on timing.
 */
import type { AnyMetricKey, MetricKey, WaitMetricKey } from '../parallel/outcome.ts';
import { checkSlo, sloTrend, type Slo, type SloCheck } from './slo.ts';

/** Combinations whose probes go to `evaluate` together. A constant: the probes run, and so the output, must not depend on the machine. */
export const WAVE = 2;

/** Costs within this many dollars count as equal (monthly costs are rounded to cents). */
const CENT = 0.005;

export interface Combination {
  /** Unique and stable, such as "base/performance-m/8". */
  readonly key: string;
  /** "base" (the scenario as written) or a variant name. */
  readonly strategy: string;
  readonly size: string;
  readonly concurrency: number;
  /** The web autoscaler, whose ceiling is the searched number; null: the searched number is the fixed web count. */
  readonly autoscaler: 'heroku-autoscale' | 'queue-time' | null;
  /** The least count the search considers (the stability bound, or 1). */
  readonly lowerBound: number;
  /** The most it considers (--max-count). */
  readonly maxCount: number;
  /** A dyno's monthly price, to order combinations of equal floor. */
  readonly pricePerDyno: number;
  /** A floor under the monthly cost of every formation of this combination whose searched number is at least n. */
  readonly costFloor: (n: number) => number;
  /** The process type whose count is searched (default web). */
  readonly process?: string;
  /** The formations of other process types, fixed by an earlier stage of the plan: "3 × standard-1x worker, concurrency 5". */
  readonly with?: readonly string[];
}

/** One replication's metrics: a run's, and the wait of each worker process type (`worker.wait.p95`). */
export type ProbeMetrics = Readonly<Record<MetricKey, number | null>> & Readonly<Partial<Record<WaitMetricKey, number | null>>>;

export type ProbeRun = { readonly kind: 'ran'; readonly metrics: readonly ProbeMetrics[] } | { readonly kind: 'rejected'; readonly message: string };

export interface ProbeRequest {
  readonly combo: Combination;
  readonly n: number;
}

/** One formation judged: `replications` runs at count (or ceiling) n. */
export interface Probe {
  readonly combo: Combination;
  readonly n: number;
  /** 0 for the first probe run, and so on. */
  readonly order: number;
  readonly replications: number;
  readonly checks: readonly SloCheck[];
  /** Every SLO that eases with more dynos is met. */
  readonly eases: boolean;
  /** An SLO that hardens with more dynos is missed. */
  readonly hardMissed: boolean;
  /** Every SLO is met. */
  readonly feasible: boolean;
  /** Monthly cost and mean web dynos, means over the replications. */
  readonly monthly: number | null;
  readonly dynos: number | null;
}

export type CombinationResult =
  | { readonly status: 'feasible'; readonly combo: Combination; readonly probe: Probe }
  | { readonly status: 'infeasible'; readonly combo: Combination; readonly reason: string; readonly probe: Probe | null }
  | { readonly status: 'pruned'; readonly combo: Combination; readonly count: number; readonly floorUsd: number; readonly ceilingUsd: number };

export interface PlanResult {
  /** The cheapest feasible combination's least formation, or null. */
  readonly answer: Extract<CombinationResult, { status: 'feasible' }> | null;
  /** The other feasible combinations, cheapest first (all of them; the report shows a few). */
  readonly runnersUp: readonly Extract<CombinationResult, { status: 'feasible' }>[];
  /** Every combination's result, in search order. */
  readonly results: readonly CombinationResult[];
  /** Every probe run, in the order run. */
  readonly probes: readonly Probe[];
  readonly simulations: number;
}

export interface SearchOptions {
  readonly slos: readonly Slo[];
  /** Confidence of "meets" (0.95). */
  readonly level?: number;
}

export type Evaluate = (batch: readonly ProbeRequest[]) => Promise<readonly ProbeRun[]>;

interface State {
  readonly combo: Combination;
  /** Most counts the scenario accepts (lowered when it rejects one). */
  max: number;
  /** Least count not yet known to miss an easing SLO. */
  lo: number;
  /** Least count known to meet every easing SLO, and its probe. */
  hi: number | null;
  hiProbe: Probe | null;
  /** Last count galloped to. */
  gallop: number | null;
  /** Why the scenario refused a count, when it did. */
  rejected: string | null;
  result: CombinationResult | null;
}

/** Orders combinations cheapest first: the floor at their lower bound, then the price of a dyno, then as given. */
export function searchOrder(combos: readonly Combination[]): Combination[] {
  return combos
    .map((c, i) => ({ c, i, floor: c.costFloor(c.lowerBound) }))
    .sort((a, b) => a.floor - b.floor || a.c.pricePerDyno - b.c.pricePerDyno || a.i - b.i)
    .map((x) => x.c);
}

/** Searches every combination; see the file comment. */
export async function searchPlan(combos: readonly Combination[], options: SearchOptions, evaluate: Evaluate): Promise<PlanResult> {
  const { slos } = options;
  const level = options.level ?? 0.95;
  const trends = slos.map(sloTrend);
  const states: State[] = searchOrder(combos).map((combo) => ({
    combo,
    max: combo.maxCount,
    lo: combo.lowerBound,
    hi: null,
    hiProbe: null,
    gallop: null,
    rejected: null,
    result: null,
  }));
  const probes: Probe[] = [];
  const cache = new Map<string, Probe>();
  /** The cheapest monthly cost of any formation seen to meet every SLO: the answer costs at most this. */
  let ceiling: number | null = null;

  const judge = (req: ProbeRequest, metrics: ProbeRun & { kind: 'ran' }): Probe => {
    const checks = slos.map((slo) => checkSlo(slo, metrics.metrics.map((m) => m[slo.metric] ?? null), level));
    const mean = (key: AnyMetricKey): number | null => {
      const xs = metrics.metrics.map((m) => m[key] ?? null);
      return xs.some((x) => x === null) || xs.length === 0 ? null : (xs as number[]).reduce((a, b) => a + b, 0) / xs.length;
    };
    const probe: Probe = {
      combo: req.combo,
      n: req.n,
      order: probes.length,
      replications: metrics.metrics.length,
      checks,
      eases: checks.every((c, i) => trends[i] !== 'eases' || c.met),
      hardMissed: checks.some((c, i) => trends[i] === 'hardens' && !c.met),
      feasible: checks.every((c) => c.met),
      monthly: mean('monthly'),
      dynos: mean('dynos'),
    };
    probes.push(probe);
    cache.set(`${req.combo.key}#${req.n}`, probe);
    if (probe.feasible && probe.monthly !== null && (ceiling === null || probe.monthly < ceiling)) ceiling = probe.monthly;
    return probe;
  };

  /** Takes in what a probe at n showed. */
  const learn = (st: State, n: number, probe: Probe): void => {
    if (probe.eases) {
      st.hi = n;
      st.hiProbe = probe;
      return;
    }
    st.lo = Math.max(st.lo, n + 1);
    // Fewer dynos miss an easing SLO and more miss a hardening one: nothing meets both (unless noise already showed a count that does).
    if (probe.hardMissed && st.hiProbe?.feasible !== true) {
      const eased = probe.checks.filter((c, i) => trends[i] === 'eases' && !c.met).map((c) => c.slo.text);
      const hard = probe.checks.filter((c, i) => trends[i] === 'hardens' && !c.met).map((c) => c.slo.text);
      st.result = {
        status: 'infeasible',
        combo: st.combo,
        probe,
        reason: `at ${n} it misses ${eased.join(', ')} (more dynos needed) and ${hard.join(', ')} (fewer dynos needed)`,
      };
    }
  };

  /** The next count to probe for st, or null once it is settled (its result set). */
  const next = (st: State): number | null => {
    for (;;) {
      if (st.result !== null) return null;
      if (st.hi !== null && st.lo >= st.hi) {
        const p = st.hiProbe!;
        if (p.feasible) st.result = { status: 'feasible', combo: st.combo, probe: p };
        else {
          const missed = p.checks.filter((c) => !c.met).map((c) => c.slo.text);
          const eased = slos.filter((_, i) => trends[i] === 'eases').map((slo) => slo.text);
          const fewest = eased.length === 0 ? 'the fewest it may run' : `the fewest that meet ${eased.join(', ')}`;
          st.result = { status: 'infeasible', combo: st.combo, probe: p, reason: `at ${p.n}, ${fewest}, it misses ${missed.join(', ')}` };
        }
        return null;
      }
      const holdsCeiling = st.hiProbe !== null && st.hiProbe.feasible && st.hiProbe.monthly !== null && st.hiProbe.monthly <= (ceiling ?? Infinity) + CENT;
      if (ceiling !== null && !holdsCeiling && st.combo.costFloor(st.lo) > ceiling + CENT) {
        st.result = { status: 'pruned', combo: st.combo, count: st.lo, floorUsd: st.combo.costFloor(st.lo), ceilingUsd: ceiling };
        return null;
      }
      if (st.lo > st.max) {
        st.result = { status: 'infeasible', combo: st.combo, probe: lastProbe(st), reason: whyNone(st) };
        return null;
      }
      let n: number;
      if (st.hi === null) {
        n = st.gallop === null ? st.lo : Math.min(st.max, st.combo.lowerBound + 2 * (st.gallop - st.combo.lowerBound + 1) - 1);
        n = Math.max(n, st.lo);
        st.gallop = n;
      } else {
        n = Math.floor((st.lo + st.hi) / 2);
      }
      const known = cache.get(`${st.combo.key}#${n}`);
      if (known === undefined) return n;
      learn(st, n, known);
    }
  };

  const lastProbe = (st: State): Probe | null => {
    for (let i = probes.length - 1; i >= 0; i--) if (probes[i]!.combo === st.combo) return probes[i]!;
    return null;
  };

  const whyNone = (st: State): string => {
    const c = st.combo;
    if (c.lowerBound > c.maxCount) return `needs at least ${c.lowerBound} to keep up with the traffic, above --max-count ${c.maxCount}`;
    if (st.rejected !== null && st.max < c.maxCount) return `the scenario takes at most ${st.max} (${st.rejected})`;
    const p = lastProbe(st);
    if (p === null) return `no count from ${c.lowerBound} to ${st.max} could be tried`;
    const missed = p.checks.filter((ch) => !ch.met).map((ch) => ch.slo.text);
    return `misses ${missed.join(', ')} even at ${p.n}`;
  };

  let simulations = 0;
  for (;;) {
    const active = states.filter((s) => s.result === null).slice(0, WAVE);
    if (active.length === 0) break;
    const batch: { st: State; n: number }[] = [];
    for (const st of active) {
      const n = next(st);
      if (n !== null) batch.push({ st, n });
    }
    if (batch.length === 0) continue;
    const runs = await evaluate(batch.map((b) => ({ combo: b.st.combo, n: b.n })));
    if (runs.length !== batch.length) throw new Error(`evaluate returned ${runs.length} runs for ${batch.length} probes`);
    batch.forEach((b, i) => {
      const run = runs[i]!;
      if (run.kind === 'rejected') {
        // The scenario refuses this count: treat it, and every count above, as out of reach.
        b.st.rejected = run.message;
        if (b.st.hi !== null && b.n < b.st.hi) b.st.lo = b.n + 1;
        else b.st.max = Math.min(b.st.max, b.n - 1);
        return;
      }
      simulations += run.metrics.length;
      learn(b.st, b.n, judge({ combo: b.st.combo, n: b.n }, run));
    });
  }

  // A combination pruned early was pruned against the ceiling of its time; the answer found
  // since may be cheaper. Its floor is above that ceiling and so above the last one too: the
  // last one, the true bound (the answer's cost, as a rule), is what it is reported against.
  const results = states.map((s): CombinationResult => {
    const r = s.result!;
    return r.status === 'pruned' && ceiling !== null ? { ...r, ceilingUsd: ceiling } : r;
  });
  const feasible = results
    .filter((r): r is Extract<CombinationResult, { status: 'feasible' }> => r.status === 'feasible')
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.probe.monthly ?? Infinity) - (b.r.probe.monthly ?? Infinity) || a.i - b.i)
    .map((x) => x.r);
  return { answer: feasible[0] ?? null, runnersUp: feasible.slice(1), results, probes, simulations };
}
