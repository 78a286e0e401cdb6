/**
 * One run of a scenario: the web tier and router fed by the traffic, on the event loop,
 * with every request's outcome recorded. Requests arriving in [0, duration) are followed
 * until their client has an answer; latency statistics cover those arriving after the
 * warm-up, billing covers the whole duration.
 */
import { Engine } from '../../engine/Engine.ts';
import { Streams } from '../../engine/streams.ts';
import { bill, billedSeconds, type DynoUsage } from '../billing/bill.ts';
import { createPolicy } from '../router/policies.ts';
import type { ProcessSpec, Scenario } from '../Scenario.ts';
import { VERSION } from '../../engine/version.ts';
import { MINUTE_US, MinuteSeries, round3, type MinuteRow } from '../flow/MinuteSeries.ts';
import { SERIES_CODES } from '../router/codes.ts';
import { WebTier } from '../router/WebTier.ts';
import { RequestFlow } from '../flow/RequestFlow.ts';
import { RunLog, type RunLogOptions } from '../flow/RunLog.ts';
import type { DynoRow, QueueSummary, RunResult, Summary } from './results.ts';
import { DynoManager } from '../dynos/DynoManager.ts';
import { newPlatformCounts, type LifecycleEvent } from '../dynos/contracts.ts';
import type { MetricsSample } from '../dynos/DynoMemory.ts';
import { HostManager } from '../dynos/HostManager.ts';
import { OneOffRunner } from '../dynos/OneOffRunner.ts';
import { JobFlow, type QueueMinute } from '../flow/JobFlow.ts';
import { JobDispatcher } from '../flow/JobDispatcher.ts';
import { SyntheticSource } from '../traffic/SyntheticSource.ts';
import { noRequests, type RequestSource } from '../traffic/RequestSource.ts';
import { ReplaySource } from '../traffic/replay/ReplaySource.ts';
import type { Histogram } from '../../engine/Histogram.ts';
import { Scaler, type ScalingRow } from '../scaling/Scaler.ts';

export interface SimulateOptions {
  /** Receives each minute of the time series as soon as it is final; without it the rows are kept in `RunResult.timeseries`. */
  onMinute?: (row: MinuteRow) => void;
  /** Sees each minute's latency histogram (µs, responses the client got in that minute) just before its row goes to `onMinute`; valid only during the call. */
  onMinuteLatency?: (minute: number, latency: Histogram) => void;
  /** Receives each minute of each job queue; without it the rows are kept in `RunResult.queueSeries`. */
  onQueueMinute?: (row: QueueMinute) => void;
  /** Receives each runtime-metrics sample; without it they are kept in `RunResult.metrics`. */
  onMetrics?: (m: MetricsSample) => void;
  /** Called about every simulated minute with the simulated time reached, the run's end (µs) and the requests simulated so far. */
  onProgress?: (nowUs: number, endUs: number, requests: number) => void;
  /** Writes the run as Heroku log lines. */
  log?: RunLogOptions;
  /** Receives each change a scaling strategy makes; without it they are kept in `RunResult.scaling`. */
  onScaling?: (row: ScalingRow) => void;
}

function requestSource(s: Scenario, streams: Streams): { source: RequestSource; replay: ReplaySource | null } {
  const t = s.traffic;
  if (t.replay !== null) {
    const replay = new ReplaySource(t.replay, t.classes, s.durationUs);
    return { source: replay, replay };
  }
  if (t.rate === null) return { source: noRequests, replay: null };
  return { source: new SyntheticSource(t.rate, t.classes, streams, s.durationUs), replay: null };
}

/** A tier for dynos of type `p`: the router's for web, a shared first-in first-out queue for workers. */
function tierFor(s: Scenario, p: ProcessSpec, streams: Streams): WebTier {
  const web = p.type === 'web';
  const policy = createPolicy(web ? s.router.policy : 'shared-queue', streams.stream('routing'));
  return new WebTier(Math.max(1, p.maxCount), p.concurrency, policy, web ? s.platform.router.backlogPerDyno : Infinity, {
    track: DynoManager.mayStopDynos(s, p),
    cpu: p.cpuBound > 0 ? { cores: p.size.cpuShare, bound: p.cpuBound } : undefined,
  });
}

export function simulate(s: Scenario, options: SimulateOptions = {}): RunResult {
  const engine = new Engine();
  const streams = new Streams(s.seed);
  const router = s.platform.router;
  const timeoutUs = router.timeoutUs;
  const warmupUs = s.warmupUs;
  const durationUs = s.durationUs;
  const web = s.web;
  const slots = Math.max(1, web.maxCount);
  const lifecycle: LifecycleEvent[] = [];
  const onEvent = (e: LifecycleEvent): void => void lifecycle.push(e);
  const hosts = new HostManager(engine, s, streams, (h, from, to, reason) =>
    onEvent({ timeUs: engine.nowUs, dyno: '', host: hosts.fleet.hostName(h), zone: hosts.fleet.zoneName(hosts.fleet.zoneOf(h)), from, to, reason }),
  );
  const tier = tierFor(s, web, streams);
  const { source, replay } = requestSource(s, streams);
  // A client can be answered as late as a hold, every connection attempt and the timeout after its arrival.
  const series = new MinuteSeries(timeoutUs + router.holdUs + router.maxAttempts * router.connectTimeoutUs);
  const timeseries: MinuteRow[] = [];
  const onMinute = options.onMinute ?? ((row: MinuteRow) => void timeseries.push(row));
  const queueSeries: QueueMinute[] = [];
  const onQueueMinute = options.onQueueMinute ?? ((row: QueueMinute) => void queueSeries.push(row));
  const metrics: MetricsSample[] = [];
  const classes = s.traffic.classes;

  const flow = new RequestFlow(
    engine,
    tier,
    source,
    series,
    slots,
    { timeoutUs, warmupUs, durationUs, connectTimeoutUs: router.connectTimeoutUs, maxAttempts: router.maxAttempts, holdUs: router.holdUs },
    classes.length,
  );
  const log = options.log === undefined ? null : new RunLog(s, options.log);
  const counts = newPlatformCounts();
  const ids = { incarnations: 0 };
  const out = { onEvent, log, onMetrics: options.onMetrics ?? ((m: MetricsSample) => void metrics.push(m)) };
  const manager = new DynoManager(engine, s, web, hosts, tier, flow, streams, counts, ids, out);
  // Each queue, with the tier of the worker type that takes its jobs.
  const workerTiers = new Map<number, WebTier>();
  const queues = s.queues.map((q) => {
    const tierOf = q.consumer < 0 ? null : tierFor(s, s.processes[q.consumer]!, streams);
    if (tierOf !== null) workerTiers.set(q.consumer, tierOf);
    return new JobFlow(engine, q, tierOf, warmupUs, q.consumer < 0 ? 0 : s.processes[q.consumer]!.maxCount);
  });
  const managers = [manager];
  s.processes.forEach((p, k) => {
    if (k === 0) return;
    const flowOf = queues[p.queue]!;
    managers.push(new DynoManager(engine, s, p, hosts, workerTiers.get(k)!, flowOf, streams, counts, ids, out));
  });
  const scalingRows: ScalingRow[] = [];
  const onScaling = options.onScaling ?? ((row: ScalingRow) => void scalingRows.push(row));
  const scalers = s.scaling.map((plan) => {
    const sc = new Scaler(engine, plan, managers[plan.process]!, durationUs, onScaling);
    if (sc.needsMetric) {
      if (plan.process === 0) flow.observer = sc;
      else queues[s.processes[plan.process]!.queue]!.observer = sc;
    }
    return sc;
  });
  const dispatcher = queues.length > 0 ? new JobDispatcher(engine, s, queues, streams) : null;
  const oneOffs = s.oneOffs.length > 0 || s.scheduler.length > 0 ? new OneOffRunner(engine, s, hosts, streams, { onEvent, log }) : null;
  flow.attach(manager, log, dispatcher !== null && dispatcher.fromRequests ? dispatcher : null);

  // Time zero: the formation up, then the scripted events, host failures, jobs and schedules.
  for (const m of managers) m.start();
  const scripted = engine.register((i) => {
    const e = s.events[i]!;
    switch (e.kind) {
      case 'fail-host':
        return hosts.fail(e.host, 'host failure', e.forUs);
      case 'zone-down':
        return hosts.zoneDown(e.zone, e.forUs);
      case 'release':
        for (const m of managers) m.release(e.crashOnBoot);
        return;
      case 'restart':
        return managers[e.process]!.restart(e.dyno);
      case 'crash':
        return managers[e.process]!.crash(e.dyno);
      case 'scale':
        return managers[e.process]!.scale(e.count);
      case 'run':
        return oneOffs!.runScripted(s.oneOffs[e.index]!);
    }
  });
  s.events.forEach((e, i) => engine.at(e.atUs, scripted, i));
  hosts.start();
  for (const sc of scalers) sc.start();
  dispatcher?.start();
  oneOffs?.start();

  // Busy and queue time are read off the tier at instants no earlier than the last
  // arrival (scheduled events run before arrivals at the same time): at each minute's
  // end, and at the ends of the measured window for the per-dyno figures.
  const last = { requests: 0, busyUs: 0, queueUs: 0 };
  const minuteKind = engine.register((m, tUs) => {
    const busyUs = tier.totalBusyUs(tUs);
    const queueUs = tier.queueIntegralUs(tUs);
    const totals = { arrivals: flow.requests - last.requests, busyUs: busyUs - last.busyUs, queueUs: queueUs - last.queueUs, dynosUp: manager.upCount };
    last.requests = flow.requests;
    last.busyUs = busyUs;
    last.queueUs = queueUs;
    onMinute(series.take(m, totals, web.concurrency, options.onMinuteLatency));
    for (const q of queues) onQueueMinute(q.takeMinute(m, tUs, MINUTE_US));
    log?.flush(tUs);
    options.onProgress?.(engine.nowUs, durationUs, flow.requests);
    // Follow the run until every client has its answer and every job is on its queue.
    const horizonUs = Math.max(durationUs, flow.lastResponseUs, dispatcher?.lastEnqueueUs ?? 0);
    if ((m + 1) * MINUTE_US < horizonUs || flow.waitingAtRouter > 0) engine.at((m + 2) * MINUTE_US, minuteKind, m + 1);
    else engine.stop();
  });
  engine.at(MINUTE_US, minuteKind, 0);
  const tiers = [tier, ...workerTiers.values()];
  const windowKind = engine.register((edge, tUs) => {
    for (const t of tiers) {
      if (edge === 0) t.openWindow(tUs);
      else t.closeWindow(tUs);
    }
    for (const q of queues) q.window(edge, tUs);
  });
  engine.at(warmupUs, windowKind, 0);
  engine.at(durationUs, windowKind, 1);
  engine.run(flow);
  for (const m of managers) m.finish();
  oneOffs?.finish();
  log?.finish();
  replay?.close();

  // Usages in time order; at one time by process type (formation order, then run, scheduler) and dyno number.
  const order = new Map([...s.processes.map((p) => p.type), 'run', 'scheduler'].map((t, k) => [t, k]));
  const typeOrder = (u: DynoUsage): number => order.get(u.processType)!;
  const usages: DynoUsage[] = [...managers.flatMap((m) => m.usages), ...(oneOffs?.usages ?? [])].sort(
    (a, b) => a.startUs - b.startUs || typeOrder(a) - typeOrder(b) || slotNumber(a.dyno) - slotNumber(b.dyno),
  );
  const cost = bill(usages, s.platform, durationUs);
  const windowUs = durationUs - warmupUs;
  /** Dyno time of a type's dynos inside the measured window. */
  const windowTimeUs = (type: string, dyno?: string): number => {
    let total = 0;
    for (const u of usages) {
      if (u.processType !== type || (dyno !== undefined && u.dyno !== dyno)) continue;
      total += Math.max(0, Math.min(u.endUs, durationUs) - Math.max(u.startUs, warmupUs));
    }
    return total;
  };
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
    dynosSummary[p.type] = { count: p.count, size: p.size.name, concurrency: p.concurrency, busyFraction: t === undefined ? 0 : busyFraction(p, t) };
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
  if (scalers.length > 0) {
    summary.scaling = Object.fromEntries(
      scalers.map((sc) => {
        const m = managers[sc.plan.process]!;
        return [m.proc.type, { strategy: sc.plan.strategy, changes: sc.changes, min: m.formationMin, max: m.formationMax, mean: round3(m.formationMean(durationUs)) }];
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
        size: p.size.name,
        concurrency: p.concurrency,
        requests: n,
        timeouts: jobs === null ? flow.perDynoTimeouts[d]! : 0,
        queueMeanMs: jobs !== null || n === 0 ? null : round3(flow.perDynoQueueUs[d]! / n / 1000),
        busyFraction: t === undefined || upUs === 0 ? 0 : round6(t.slotBusyUs[d]! / (upUs * p.concurrency)),
        billedHours: round6((billedUs.get(name) ?? 0) / 3.6e9),
      });
    }
  });
  for (const u of oneOffs?.usages ?? []) {
    dynos.push({ dyno: u.dyno, processType: u.processType, size: u.size, concurrency: 1, requests: 0, timeouts: 0, queueMeanMs: null, busyFraction: 0, billedHours: round6((billedUs.get(u.dyno) ?? 0) / 3.6e9) });
  }
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

/** web.12 → 12. */
function slotNumber(dyno: string): number {
  return Number(dyno.slice(dyno.lastIndexOf('.') + 1));
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
