/**
 * A run wired from its scenario: the engine and streams, hosts, each process type's tier
 * and dyno manager, the request and job flows, the scalers, the dispatcher of jobs, one-off
 * dynos and the log, joined as they will work. Nothing has happened yet: runRun starts them.
 */
import { Engine } from '../../engine/Engine.ts';
import { Streams } from '../../engine/streams.ts';
import { createPolicy, LOAD_AWARE, STATEFUL } from '../router/policies.ts';
import type { ProcessSpec, Scenario } from '../Scenario.ts';
import { MinuteSeries, type MinuteRow } from '../flow/MinuteSeries.ts';
import { WebTier } from '../router/WebTier.ts';
import { RequestFlow } from '../flow/RequestFlow.ts';
import { RunLog, type RunLogOptions } from '../flow/RunLog.ts';
import { DynoManager } from '../dynos/manager/DynoManager.ts';
import { newPlatformCounts, type LifecycleEvent, type PlatformCounts } from '../dynos/contracts.ts';
import type { MetricsSample } from '../dynos/DynoMemory.ts';
import { HostManager } from '../dynos/HostManager.ts';
import { OneOffRunner } from '../dynos/OneOffRunner.ts';
import { EcoAccount, runsEco } from '../dynos/EcoAccount.ts';
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
  /** Sees what each autoscaler observed at each of its looks (µs, or null when there was nothing to measure), for its chart. */
  onAutoscaleTick?: (process: string, tUs: number, valueUs: number | null) => void;
}

/** The parts of one run, as wire() joins them; runRun() drives them and collect() reads them. */
export interface RunParts {
  readonly s: Scenario;
  readonly options: SimulateOptions;
  readonly engine: Engine;
  readonly streams: Streams;
  readonly hosts: HostManager;
  /** The web tier (the router's). */
  readonly tier: WebTier;
  readonly replay: ReplaySource | null;
  readonly series: MinuteSeries;
  readonly timeseries: MinuteRow[];
  readonly onMinute: (row: MinuteRow) => void;
  readonly queueSeries: QueueMinute[];
  readonly onQueueMinute: (row: QueueMinute) => void;
  readonly metrics: MetricsSample[];
  readonly lifecycle: LifecycleEvent[];
  readonly onEvent: (e: LifecycleEvent) => void;
  readonly flow: RequestFlow;
  readonly log: RunLog | null;
  readonly counts: PlatformCounts;
  /** The web dynos' manager (managers[0]). */
  readonly manager: DynoManager;
  /** Each worker type's tier, by process index. */
  readonly workerTiers: Map<number, WebTier>;
  readonly queues: JobFlow[];
  /** One per process type, in formation order. */
  readonly managers: DynoManager[];
  readonly scalingRows: ScalingRow[];
  readonly scalers: Scaler[];
  readonly dispatcher: JobDispatcher | null;
  readonly oneOffs: OneOffRunner | null;
  /** The Eco account, when the app runs Eco dynos. */
  readonly eco: EcoAccount | null;
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
  const name = web ? s.router.policy : 'shared-queue';
  const routing = streams.stream('routing');
  const policy = createPolicy(name, routing, s.router.choices);
  const routers = web ? s.platform.router.routers : 1;
  return new WebTier(Math.max(1, p.maxCount), p.concurrency, policy, web ? s.platform.router.backlogPerDyno : Infinity, {
    track: DynoManager.mayStopDynos(s, p),
    cpu: p.cpuBound > 0 ? { cores: p.size.cpuShare, bound: p.cpuBound } : undefined,
    // Several routers: those whose policy keeps state get one each; the others share one.
    routers:
      routers > 1
        ? { policies: Array.from({ length: routers }, (_, r) => (r === 0 || !STATEFUL.includes(name) ? policy : createPolicy(name, routing, s.router.choices))), loadAware: LOAD_AWARE.includes(name), pick: streams.stream('routers') }
        : undefined,
    loadRefreshUs: web ? s.router.loadRefreshUs : null,
    maxActivePerDyno: web ? s.platform.router.maxActivePerDyno : Infinity,
  });
}

/** The Eco account of an app of Eco dynos, told to each Eco type's manager; null for any other app. */
function ecoAccount(engine: Engine, s: Scenario, managers: readonly DynoManager[], flow: RequestFlow): EcoAccount | null {
  if (!runsEco(s)) return null;
  const size = s.platform.eco!.size;
  const tenants = managers.filter((m) => m.proc.size.name === size);
  const webSleeps = s.web.size.name === size && s.web.maxCount > 0;
  const eco = new EcoAccount(engine, s, tenants, webSleeps, () => flow.lastArrivalUs);
  for (const m of tenants) m.eco = eco;
  return eco;
}

/** Builds every part of the run from the scenario, in the order the engine registers them. */
export function wire(s: Scenario, options: SimulateOptions): RunParts {
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
    { timeoutUs, warmupUs, durationUs, connectTimeoutUs: router.connectTimeoutUs, maxAttempts: router.maxAttempts, holdUs: router.holdUs, quarantineUs: router.quarantineUs },
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
    const sc = new Scaler(engine, plan, managers[plan.process]!, durationUs, onScaling, options.onAutoscaleTick);
    if (sc.needsMetric) {
      if (plan.process === 0) flow.observer = sc;
      else queues[s.processes[plan.process]!.queue]!.observer = sc;
    }
    return sc;
  });
  const dispatcher = queues.length > 0 ? new JobDispatcher(engine, s, queues, streams) : null;
  const oneOffs = s.oneOffs.length > 0 || s.scheduler.length > 0 ? new OneOffRunner(engine, s, hosts, streams, { onEvent, log }) : null;
  flow.attach(manager, log, dispatcher !== null && dispatcher.fromRequests ? dispatcher : null);
  const eco = ecoAccount(engine, s, managers, flow);

  return { s, options, engine, streams, hosts, tier, replay, series, timeseries, onMinute, queueSeries, onQueueMinute, metrics, lifecycle, onEvent, flow, log, counts, manager, workerTiers, queues, managers, scalingRows, scalers, dispatcher, oneOffs, eco };
}
