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
import type { DynoRow, RunResult, Summary } from './results.ts';

export interface SimulateOptions {
  /** Receives each minute of the time series as soon as it is final; without it the rows are kept in `RunResult.timeseries`. */
  onMinute?: (row: MinuteRow) => void;
  /** Called about every simulated minute with the simulated time reached and the run's end (µs). */
  onProgress?: (nowUs: number, endUs: number) => void;
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
  const timeoutUs = s.platform.router.timeoutUs;
  const warmupUs = s.warmupUs;
  const durationUs = s.durationUs;
  const web = s.web;
  const tier = new WebTier(web.count, web.concurrency, createPolicy(s.router.policy, streams.stream('routing')), s.platform.router.backlogPerDyno);
  const fillService = s.traffic.service.filler(streams.stream('service'));
  const arrivals = arrivalsFor(s, streams);
  const series = new MinuteSeries(timeoutUs);
  const timeseries: MinuteRow[] = [];
  const onMinute = options.onMinute ?? ((row: MinuteRow) => void timeseries.push(row));

  const flow = new RequestFlow(tier, arrivals, fillService, series, { timeoutUs, warmupUs, durationUs });

  // Busy and queue time are read off the tier at instants no earlier than the last
  // arrival (scheduled events run before arrivals at the same time): at each minute's
  // end, and at the ends of the measured window for the per-dyno figures.
  const busyAt = (tUs: number): number => {
    let total = 0;
    for (let d = 0; d < web.count; d++) total += tier.busyIntegralUs(d, tUs);
    return total;
  };
  const last = { requests: 0, busyUs: 0, queueUs: 0 };
  const minuteKind = engine.register((m, tUs) => {
    const busyUs = busyAt(tUs);
    const queueUs = tier.queueIntegralUs(tUs);
    const totals = { arrivals: flow.requests - last.requests, busyUs: busyUs - last.busyUs, queueUs: queueUs - last.queueUs };
    last.requests = flow.requests;
    last.busyUs = busyUs;
    last.queueUs = queueUs;
    onMinute(series.take(m, totals, web.concurrency));
    options.onProgress?.(engine.nowUs, durationUs);
    const horizonUs = Math.max(durationUs, flow.lastResponseUs);
    if ((m + 1) * MINUTE_US < horizonUs) engine.at((m + 2) * MINUTE_US, minuteKind, m + 1);
  });
  engine.at(MINUTE_US, minuteKind, 0);
  // Per-dyno busy time inside [warm-up, duration].
  const busyAtWarmup = new Float64Array(web.count);
  const perDynoBusyUs = new Float64Array(web.count);
  const windowKind = engine.register((edge, tUs) => {
    for (let d = 0; d < web.count; d++) {
      const b = tier.busyIntegralUs(d, tUs);
      if (edge === 0) busyAtWarmup[d] = b;
      else perDynoBusyUs[d] = b - busyAtWarmup[d]!;
    }
  });
  engine.at(warmupUs, windowKind, 0);
  engine.at(durationUs, windowKind, 1);
  engine.run(flow);

  const usages: DynoUsage[] = [];
  for (let d = 0; d < web.count; d++) {
    usages.push({ processType: 'web', dyno: `web.${d + 1}`, size: web.size.name, startUs: 0, endUs: durationUs });
  }
  const cost = bill(usages, s.platform, durationUs);
  const windowUs = durationUs - warmupUs;
  const workers = web.count * web.concurrency;
  let busyTotal = 0;
  for (let d = 0; d < web.count; d++) busyTotal += perDynoBusyUs[d]!;

  const { latency, queue } = flow;
  const ms = (us: number): number | null => (Number.isFinite(us) ? round3(us / 1000) : null);
  const errorCounts: Record<string, number> = {};
  let errorTotal = 0;
  SERIES_CODES.forEach((code, k) => {
    errorCounts[code] = flow.errors[k]!;
    errorTotal += flow.errors[k]!;
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
  for (let d = 0; d < web.count; d++) {
    const n = flow.perDynoRequests[d]!;
    dynos.push({
      dyno: `web.${d + 1}`,
      processType: 'web',
      size: web.size.name,
      concurrency: web.concurrency,
      requests: n,
      timeouts: flow.perDynoTimeouts[d]!,
      queueMeanMs: n === 0 ? null : round3(flow.perDynoQueueUs[d]! / n / 1000),
      busyFraction: round6(perDynoBusyUs[d]! / (windowUs * web.concurrency)),
      billedHours: round6(billedSeconds(0, durationUs) / 3600),
    });
  }
  return { summary, dynos, cost, timeseries, requests: flow.requests, events: engine.events, endUs: Math.max(durationUs, flow.lastResponseUs) };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
