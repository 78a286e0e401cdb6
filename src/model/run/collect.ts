/**
 * What a run hands back once it has ended: the dynos' usages in time order and billed,
 * summary.json (latency, errors, the platform's counts, queues, scaling, replay), the rows
 * of dynos.csv, and the series and histograms gathered on the way.
 */
import { bill, billedSeconds, type DynoUsage } from '../billing/bill.ts';
import type { ProcessSpec } from '../Scenario.ts';
import { VERSION } from '../../engine/version.ts';
import { round3 } from '../flow/MinuteSeries.ts';
import { SERIES_CODES } from '../router/codes.ts';
import { WebTier } from '../router/WebTier.ts';
import type { DynoRow, QueueSummary, RunResult, Summary } from './results.ts';
import type { Histogram } from '../../engine/Histogram.ts';
import type { RunParts } from './wire.ts';

/** The results of the run from its parts once it has ended: the bill, summary.json, dynos.csv, the series and histograms. */
export function collect(p: RunParts): RunResult {
  const { s, engine, hosts, tier, replay, timeseries, queueSeries, metrics, lifecycle, flow, counts, workerTiers, queues, managers, scalingRows, scalers, oneOffs } = p;
  const classes = s.traffic.classes;
  const warmupUs = s.warmupUs;
  const durationUs = s.durationUs;

  // Usages in time order; at one time by process type (formation order, then run, scheduler) and dyno number.
  const order = new Map([...s.processes.map((p) => p.type), 'run', 'scheduler'].map((t, k) => [t, k]));
  const typeOrder = (u: DynoUsage): number => order.get(u.processType)!;
  const usages: DynoUsage[] = [...managers.flatMap((m) => m.usages), ...(oneOffs?.usages ?? [])].sort(
    (a, b) => a.startUs - b.startUs || typeOrder(a) - typeOrder(b) || slotNumber(a.dyno) - slotNumber(b.dyno),
  );
  const cost = bill(usages, s.platform, durationUs);
  const windowUs = durationUs - warmupUs;
  // Dyno time inside the measured window, by type and by dyno, each summed in usage order.
  const windowByType = new Map<string, number>();
  const windowByDyno = new Map<string, number>();
  for (const u of usages) {
    const inWindow = Math.max(0, Math.min(u.endUs, durationUs) - Math.max(u.startUs, warmupUs));
    windowByType.set(u.processType, (windowByType.get(u.processType) ?? 0) + inWindow);
    const key = `${u.processType} ${u.dyno}`;
    windowByDyno.set(key, (windowByDyno.get(key) ?? 0) + inWindow);
  }
  /** Dyno time of a type's dynos (or of one of them) inside the measured window. */
  const windowTimeUs = (type: string, dyno?: string): number => (dyno === undefined ? windowByType.get(type) : windowByDyno.get(`${type} ${dyno}`)) ?? 0;
  const busyFraction = (p: ProcessSpec, t: WebTier): number => {
    const workers = (windowTimeUs(p.type) / windowUs) * p.concurrency;
    let busyTotal = 0;
    for (let d = 0; d < t.slotBusyUs.length; d++) busyTotal += t.slotBusyUs[d]!;
    return workers === 0 ? 0 : round6(busyTotal / (windowUs * workers));
  };

  const { latency, queue } = flow;
  const errorCounts: Record<string, number> = {};
  let errorTotal = 0;
  SERIES_CODES.forEach((code, k) => {
    if (flow.errors[k]! > 0) errorCounts[code] = flow.errors[k]!;
    errorTotal += flow.errors[k]!;
  });
  const c = counts;
  const dynosSummary: Summary['dynos'] = {};
  s.processes.forEach((p, k) => {
    const t = k === 0 ? tier : workerTiers.get(k);
    const m = managers[k]!;
    dynosSummary[p.type] = { count: p.count, size: m.size.name, concurrency: p.concurrency, busyFraction: t === undefined ? 0 : busyFraction(p, t) };
    if (m.resizes > 0) Object.assign(dynosSummary[p.type]!, { sizes: m.sizesRun, resizes: m.resizes });
    if (p.preboot) Object.assign(dynosSummary[p.type]!, { preboots: m.preboots });
  });
  const summary: Summary = {
    dynosim: { version: VERSION },
    scenario: {
      name: s.name,
      description: s.description,
      platform: s.platform.name,
      seed: s.seed,
      durationS: durationUs / 1e6,
      warmupS: warmupUs / 1e6,
      routerPolicy: s.router.policy,
    },
    ...(s.warmupAuto?.detected ? { warmup: { ...s.warmupAuto.detected } } : {}),
    requests: {
      arrived: flow.arrived,
      completed: flow.completed,
      errors: errorCounts,
      errorRate: flow.arrived === 0 ? 0 : round6(errorTotal / flow.arrived),
      servedAfterTimeout: flow.servedAfterTimeout,
    },
    availability: flow.arrived === 0 ? 1 : round6(flow.completed / flow.arrived),
    latency: latencyOf(latency),
    queue: {
      meanMs: ms(queue.mean()),
      p95Ms: ms(queue.quantile(0.95)),
      p99Ms: ms(queue.quantile(0.99)),
      fractionQueued: queue.count === 0 ? null : round6(flow.queued / queue.count),
    },
    dynos: dynosSummary,
    platform: {
      hostFailures: hosts.hostFailures,
      dynoCrashes: c.dynoCrashes,
      relocations: c.relocations,
      restarts: c.restarts,
      cycles: c.cycles,
      r10: c.r10,
      r12: c.r12,
      r14: c.r14,
      r15: c.r15,
      placementWaitS: round3(c.placementWaitUs / 1e6),
    },
    cost: {
      pricePer: s.platform.billing.pricePer,
      dynoHours: cost.dynoHours,
      freeHours: cost.freeHours,
      billableHours: cost.billableHours,
      totalUsd: cost.totalUsd,
      monthlyUsd: cost.monthlyUsd,
    },
  };
  const pc = flow.perClass;
  if (pc !== null) {
    summary.classes = Object.fromEntries(
      classes.map((cl, k) => [
        cl.name,
        {
          arrived: pc.arrived[k]!,
          completed: pc.completed[k]!,
          errors: pc.errors[k]!,
          ...latencyOf(pc.latency[k]!),
        },
      ]),
    );
  }
  if (queues.length > 0) {
    summary.queues = Object.fromEntries(
      queues.map((q): [string, QueueSummary] => [
        q.spec.name,
        {
          workers: q.spec.consumer < 0 ? null : s.processes[q.spec.consumer]!.type,
          enqueued: q.enqueued,
          completed: q.completed,
          lost: q.lostJobs,
          redelivered: q.redelivered,
          stranded: q.stranded,
          lengthMean: q.lengthMean,
          fractionWaited: q.completed === 0 ? null : round6(q.waited / q.completed),
          wait: { meanMs: ms(q.wait.mean()), p50Ms: ms(q.wait.quantile(0.5)), p95Ms: ms(q.wait.quantile(0.95)), p99Ms: ms(q.wait.quantile(0.99)), maxMs: q.wait.count === 0 ? null : ms(q.wait.max) },
          run: { meanMs: ms(q.run.mean()), p95Ms: ms(q.run.quantile(0.95)) },
        },
      ]),
    );
  }
  if (oneOffs !== null) summary.oneOffs = { ...oneOffs.counts };
  if (p.eco !== null) {
    const w = p.manager.wakeUps;
    summary.eco = {
      ...p.eco.counts,
      meanWakeMs: w.count === 0 ? null : round3(w.totalUs / w.count / 1000),
      appPoolHours: round6(p.eco.appHoursUs / 3.6e9),
      poolUsedHours: round6(p.eco.poolUsedHours),
    };
  }
  if (scalers.length > 0) {
    summary.scaling = Object.fromEntries(
      scalers.map((sc) => {
        const m = managers[sc.plan.process]!;
        const bySize: Record<string, number> = {};
        for (const u of usages) if (u.processType === m.proc.type) bySize[u.size] = (bySize[u.size] ?? 0) + billedSeconds(u.startUs, u.endUs);
        const dynoHours = Object.fromEntries(Object.keys(bySize).sort().map((size) => [size, round3(bySize[size]! / 3600)]));
        return [m.proc.type, { strategy: sc.plan.strategy, changes: sc.changes, min: m.formationMin, max: m.formationMax, mean: round3(m.formationMean(durationUs)), dynoHours }];
      }),
    );
  }
  if (replay !== null) summary.replay = replay.report();

  const dynos: DynoRow[] = [];
  const billedUs = new Map<string, number>();
  for (const u of usages) billedUs.set(u.dyno, (billedUs.get(u.dyno) ?? 0) + billedSeconds(u.startUs, u.endUs) * 1e6);
  s.processes.forEach((p, k) => {
    const t = k === 0 ? tier : workerTiers.get(k);
    const jobs = k === 0 ? null : queues[p.queue]!;
    for (let d = 0; d < p.maxCount; d++) {
      const name = `${p.type}.${d + 1}`;
      const upUs = windowTimeUs(p.type, name);
      const n = jobs === null ? flow.perDynoRequests[d]! : jobs.perDyno[d]!;
      dynos.push({
        dyno: name,
        processType: p.type,
        size: managers[k]!.size.name,
        concurrency: p.concurrency,
        requests: n,
        timeouts: jobs === null ? flow.perDynoTimeouts[d]! : 0,
        queueMeanMs: jobs !== null || n === 0 ? null : round3(flow.perDynoQueueUs[d]! / n / 1000),
        busyFraction: t === undefined || upUs === 0 ? 0 : round6(t.slotBusyUs[d]! / (upUs * p.concurrency)),
        billedHours: 0, // below, once every row is known
      });
    }
  });
  for (const u of oneOffs?.usages ?? []) {
    dynos.push({ dyno: u.dyno, processType: u.processType, size: u.size, concurrency: 1, requests: 0, timeouts: 0, queueMeanMs: null, busyFraction: 0, billedHours: 0 });
  }
  // Each row's hours to the 1e-6 h, rounded so that the rows add up to the bill's dyno-hours.
  const rounded = roundToSum(dynos.map((d) => (billedUs.get(d.dyno) ?? 0) / 3.6e9), 1e6);
  dynos.forEach((d, i) => (d.billedHours = rounded[i]!));
  return {
    summary,
    dynos,
    cost,
    timeseries,
    queueSeries,
    lifecycle,
    metrics,
    requests: flow.requests,
    events: engine.events,
    endUs: Math.max(durationUs, flow.lastResponseUs),
    histograms: { latency, queue },
    scaling: scalingRows,
    usages,
  };
}

function ms(us: number): number | null {
  return Number.isFinite(us) ? round3(us / 1000) : null;
}

function latencyOf(h: Histogram): Summary['latency'] {
  return {
    meanMs: ms(h.mean()),
    p50Ms: ms(h.quantile(0.5)),
    p95Ms: ms(h.quantile(0.95)),
    p99Ms: ms(h.quantile(0.99)),
    p999Ms: ms(h.quantile(0.999)),
    maxMs: h.count === 0 ? null : ms(h.max),
  };
}

/**
 * `values` rounded to 1/`per` each so that they add up to their sum rounded the same way:
 * each is rounded down, and the units left over go to the largest remainders (the first
 * of equal ones), as in a largest-remainder apportionment.
 */
export function roundToSum(values: readonly number[], per: number): number[] {
  const units = values.map((v) => v * per);
  const floors = units.map((u) => Math.floor(u + 1e-9));
  let left = Math.round(units.reduce((a, u) => a + u, 0)) - floors.reduce((a, f) => a + f, 0);
  const order = units.map((u, i) => [u - floors[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]!++;
    left--;
  }
  return floors.map((f) => f / per);
}

/** web.12 → 12. */
function slotNumber(dyno: string): number {
  return Number(dyno.slice(dyno.lastIndexOf('.') + 1));
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
