/**
 * One run of a scenario: the web tier and router fed by the traffic, on the event loop,
 * with every request's outcome recorded. Requests arriving in [0, duration) are followed
 * until their client has an answer; latency statistics cover those arriving after the
 * warm-up, billing covers the whole duration.
 */
import { Engine } from '../engine/Engine.ts';
import { Streams } from '../engine/streams.ts';
import { bill, billedSeconds, type DynoUsage } from '../billing/bill.ts';
import { createPolicy } from '../router/policies.ts';
import type { Scenario } from '../scenario/resolve.ts';
import { poissonArrivals } from '../traffic/arrivals/poisson.ts';
import { varyingRateArrivals } from '../traffic/arrivals/varyingRate.ts';
import type { ArrivalProcess } from '../traffic/arrivals/ArrivalProcess.ts';
import { VERSION } from '../version.ts';
import { MINUTE_US, MinuteSeries, SERIES_CODES, round3, type MinuteRow } from './MinuteSeries.ts';
import { WebTier } from './WebTier.ts';
import { RequestFlow } from './RequestFlow.ts';
import { RunLog, type RunLogOptions } from './RunLog.ts';
import type { DynoRow, RunResult, Summary } from './results.ts';
import { DynoManager, type LifecycleEvent } from '../dynos/DynoManager.ts';
import type { MetricsSample } from '../dynos/DynoMemory.ts';

export interface SimulateOptions {
  /** Receives each minute of the time series as soon as it is final; without it the rows are kept in `RunResult.timeseries`. */
  onMinute?: (row: MinuteRow) => void;
  /** Receives each runtime-metrics sample; without it they are kept in `RunResult.metrics`. */
  onMetrics?: (m: MetricsSample) => void;
  /** Called about every simulated minute with the simulated time reached and the run's end (µs). */
  onProgress?: (nowUs: number, endUs: number) => void;
  /** Writes the run as Heroku log lines. */
  log?: RunLogOptions;
}


function arrivalsFor(s: Scenario, streams: Streams): ArrivalProcess {
  const u = streams.stream('arrivals');
  const rate = s.traffic.rate;
  return rate.kind === 'constant'
    ? poissonArrivals(rate.perS, u)
    : varyingRateArrivals(rate.fn, rate.stepUs, u, s.durationUs);
}

export function simulate(s: Scenario, options: SimulateOptions = {}): RunResult {
  const engine = new Engine();
  const streams = new Streams(s.seed);
  const router = s.platform.router;
  const timeoutUs = router.timeoutUs;
  const warmupUs = s.warmupUs;
  const durationUs = s.durationUs;
  const web = s.web;
  // Slots for every web dyno the formation ever has.
  const slots = Math.max(web.count, ...s.events.map((e) => (e.kind === 'scale' ? e.count : 0)));
  const tier = new WebTier(slots, web.concurrency, createPolicy(s.router.policy, streams.stream('routing')), router.backlogPerDyno, {
    track: DynoManager.mayStopDynos(s),
  });
  const fillService = s.traffic.service.filler(streams.stream('service'));
  const arrivals = arrivalsFor(s, streams);
  // A client can be answered as late as a hold, every connection attempt and the timeout after its arrival.
  const series = new MinuteSeries(timeoutUs + router.holdUs + router.maxAttempts * router.connectTimeoutUs);
  const timeseries: MinuteRow[] = [];
  const onMinute = options.onMinute ?? ((row: MinuteRow) => void timeseries.push(row));
  const metrics: MetricsSample[] = [];
  const lifecycle: LifecycleEvent[] = [];

  const flow = new RequestFlow(engine, tier, arrivals, fillService, series, slots, {
    timeoutUs,
    warmupUs,
    durationUs,
    connectTimeoutUs: router.connectTimeoutUs,
    maxAttempts: router.maxAttempts,
    holdUs: router.holdUs,
  });
  const log = options.log === undefined ? null : new RunLog(s, options.log);
  const manager = new DynoManager(engine, s, tier, flow, streams, slots, {
    onEvent: (e) => void lifecycle.push(e),
    log,
    onMetrics: options.onMetrics ?? ((m) => void metrics.push(m)),
  });
  flow.attach(manager, log);
  manager.start();

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
    onMinute(series.take(m, totals, web.concurrency));
    log?.flush(tUs);
    options.onProgress?.(engine.nowUs, durationUs);
    // Follow the run until every client has its answer.
    const horizonUs = Math.max(durationUs, flow.lastResponseUs);
    if ((m + 1) * MINUTE_US < horizonUs || flow.waitingAtRouter > 0) engine.at((m + 2) * MINUTE_US, minuteKind, m + 1);
    else engine.stop();
  });
  engine.at(MINUTE_US, minuteKind, 0);
  const windowKind = engine.register((edge, tUs) => (edge === 0 ? tier.openWindow(tUs) : tier.closeWindow(tUs)));
  engine.at(warmupUs, windowKind, 0);
  engine.at(durationUs, windowKind, 1);
  engine.run(flow);
  manager.finish();
  log?.finish();

  const usages: DynoUsage[] = manager.usages;
  const cost = bill(usages, s.platform, durationUs);
  const windowUs = durationUs - warmupUs;
  // Worker time the formation had in the window, for the busy fraction.
  let dynoWindowUs = 0;
  for (const u of usages) dynoWindowUs += Math.max(0, Math.min(u.endUs, durationUs) - Math.max(u.startUs, warmupUs));
  const workers = (dynoWindowUs / windowUs) * web.concurrency;
  let busyTotal = 0;
  for (let d = 0; d < slots; d++) busyTotal += tier.slotBusyUs[d]!;

  const { latency, queue } = flow;
  const ms = (us: number): number | null => (Number.isFinite(us) ? round3(us / 1000) : null);
  const errorCounts: Record<string, number> = {};
  let errorTotal = 0;
  SERIES_CODES.forEach((code, k) => {
    if (flow.errors[k]! > 0) errorCounts[code] = flow.errors[k]!;
    errorTotal += flow.errors[k]!;
  });
  const c = manager.counts;
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
    latency: {
      meanMs: ms(latency.mean()),
      p50Ms: ms(latency.quantile(0.5)),
      p95Ms: ms(latency.quantile(0.95)),
      p99Ms: ms(latency.quantile(0.99)),
      p999Ms: ms(latency.quantile(0.999)),
      maxMs: latency.count === 0 ? null : ms(latency.max),
    },
    queue: {
      meanMs: ms(queue.mean()),
      p95Ms: ms(queue.quantile(0.95)),
      p99Ms: ms(queue.quantile(0.99)),
      fractionQueued: queue.count === 0 ? null : round6(flow.queued / queue.count),
    },
    dynos: {
      web: {
        count: web.count,
        size: web.size.name,
        concurrency: web.concurrency,
        busyFraction: workers === 0 ? 0 : round6(busyTotal / (windowUs * workers)),
      },
    },
    platform: {
      hostFailures: c.hostFailures,
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
  const dynos: DynoRow[] = [];
  const billedUs = new Float64Array(slots);
  for (const u of usages) billedUs[Number(u.dyno.slice(4)) - 1]! += billedSeconds(u.startUs, u.endUs) * 1e6;
  for (let d = 0; d < slots; d++) {
    const n = flow.perDynoRequests[d]!;
    let upUs = 0;
    for (const u of usages) if (u.dyno === `web.${d + 1}`) upUs += Math.max(0, Math.min(u.endUs, durationUs) - Math.max(u.startUs, warmupUs));
    dynos.push({
      dyno: `web.${d + 1}`,
      processType: 'web',
      size: web.size.name,
      concurrency: web.concurrency,
      requests: n,
      timeouts: flow.perDynoTimeouts[d]!,
      queueMeanMs: n === 0 ? null : round3(flow.perDynoQueueUs[d]! / n / 1000),
      busyFraction: upUs === 0 ? 0 : round6(tier.slotBusyUs[d]! / (upUs * web.concurrency)),
      billedHours: round6(billedUs[d]! / 3.6e9),
    });
  }
  return {
    summary,
    dynos,
    cost,
    timeseries,
    lifecycle,
    metrics,
    requests: flow.requests,
    events: engine.events,
    endUs: Math.max(durationUs, flow.lastResponseUs),
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
