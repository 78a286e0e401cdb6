/**
 * The model's input: a scenario ready to run, units parsed, references resolved, frozen
 * (types only). The scenario layer (src/scenario/) builds it from a file; the model reads
 * it and never builds one.
 */
import type { DynoSize, PlatformProfile } from './platform/profile.ts';
import type { RouterPolicyName } from './router/policies.ts';
import type { Calendar } from './traffic/calendar.ts';
import type { ServiceDistribution } from './traffic/service/ServiceDistribution.ts';
import type { JobSpec, RateSpec, ReplaySpec, RequestClass, TrafficSpec } from './traffic/spec.ts';

export type { JobSpec, RateSpec, ReplaySpec, RequestClass, TrafficSpec };

export interface ProcessSpec {
  readonly type: string;
  readonly count: number;
  /** The size the type starts at. */
  readonly size: DynoSize;
  /** Every size the type runs at in the run (resize events, sized schedule entries), the starting one first. */
  readonly sizes: readonly DynoSize[];
  /** Requests (or jobs) one dyno serves at once: Unicorn workers, Puma threads, Sidekiq concurrency. */
  readonly concurrency: number;
  /** The Procfile command, for the logs. */
  readonly command: string;
  readonly memory: MemoryModel | null;
  /** Crashes per microsecond of a dyno's time up (0: never crashes on its own). */
  readonly crashRatePerUs: number;
  /** Workers: the queue (index into Scenario.queues) they take jobs from; −1 for web. */
  readonly queue: number;
  /** Share of service time on the CPU, slowed when more run than the size has cores (0: no slowdown). */
  readonly cpuBound: number;
  /** The most dynos of this type the run ever has (scripted scale events included). */
  readonly maxCount: number;
  /** Preboot: a release, restart or daily cycle starts the new processes before the old ones stop (web only). */
  readonly preboot: boolean;
}

/** What a dyno's processes hold in memory: total = base + leak × time up + perRequest × requests in service. */

export interface MemoryModel {
  readonly baseMb: number;
  readonly perRequestMb: number;
  readonly leakMbPerH: number;
  readonly cacheMb: number;
  /** Service-time multiplier when all of the memory is swapped (graded by the share swapped). */
  readonly swapSlowdown: number;
}

/** A scripted platform event, at a time from the start of the run. */

export type PlatformEvent =
  | { readonly kind: 'fail-host'; readonly atUs: number; readonly host: number; readonly forUs: number | null }
  | { readonly kind: 'zone-down'; readonly atUs: number; readonly zone: number; readonly forUs: number | null }
  | { readonly kind: 'release'; readonly atUs: number; readonly crashOnBoot: number }
  /** process: index into Scenario.processes; dyno: its index (web.1 is 0), or null for every dyno of the type. */
  | { readonly kind: 'restart'; readonly atUs: number; readonly process: number; readonly dyno: number | null }
  | { readonly kind: 'crash'; readonly atUs: number; readonly process: number; readonly dyno: number }
  /** `heroku ps:scale web=N` (`web=N:size`, with a size: the type is resized as well). */
  | { readonly kind: 'scale'; readonly atUs: number; readonly process: number; readonly count: number; readonly size: DynoSize | null }
  /** `heroku ps:resize web=size`: every dyno of the type is replaced by one of the new size. */
  | { readonly kind: 'resize'; readonly atUs: number; readonly process: number; readonly size: DynoSize }
  /** A one-off dyno (Scenario.oneOffs[index]). */
  | { readonly kind: 'run'; readonly atUs: number; readonly index: number };

/** Jobs a request of a class puts on a queue. */

/** A kind of request (GET /, POST /checkout): share of traffic, service time, memory, jobs. */

export interface QueueSpec {
  readonly name: string;
  readonly lostJobs: 'redeliver' | 'lose';
  /** The process type (index into Scenario.processes) whose dynos take its jobs, or −1 when none does. */
  readonly consumer: number;
}

/** Jobs arriving on their own at a constant rate. */

export interface JobSource {
  readonly queue: number;
  readonly perS: number;
  readonly run: ServiceDistribution;
}

/** A one-off dyno: a scripted task (run.N) or one run of a scheduler task (scheduler.N). */

export interface OneOffSpec {
  readonly command: string;
  readonly size: DynoSize;
  readonly run: ServiceDistribution;
}

export interface SchedulerTask {
  readonly command: string;
  readonly size: DynoSize;
  readonly run: ServiceDistribution;
  readonly everyUs: number;
  /** The first run, from the start. */
  readonly firstUs: number;
  readonly miss: number;
}

/** A warm-up found by MSER-5 (summary.json's `warmup`). */
export interface WarmupDetection {
  readonly rule: 'MSER-5';
  /** The timeseries.csv column read: the web tier's requests waiting, time-averaged per minute. */
  readonly series: 'queueMean';
  /** Minutes a batch. */
  readonly batchMinutes: number;
  /** Batches the series made, and those truncated. */
  readonly batches: number;
  readonly truncatedBatches: number;
  /** The warm-up detected, in seconds (= truncated batches × batch minutes × 60). */
  readonly detectedS: number;
}

/** A scenario ready to run: units parsed, references resolved, frozen. */

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly durationUs: number;
  /** The warm-up: fixed, or with `warmupAuto`, the one detected (0 until it has been). */
  readonly warmupUs: number;
  /**
   * `warmup: auto` only (absent for a fixed warm-up): the warm-up is found by MSER-5 on a
   * first pass of the run (model/run/warmup.ts); `detected` once it has been.
   */
  readonly warmupAuto?: { readonly rule: 'MSER-5'; readonly detected: WarmupDetection | null };
  readonly platform: PlatformProfile;
  readonly calendar: Calendar;
  /** Every process type of the formation, web first. */
  readonly processes: readonly ProcessSpec[];
  /** processes[0]. */
  readonly web: ProcessSpec;
  readonly router: {
    readonly policy: RouterPolicyName;
    /** power-of-d's d (2 for the others, where it does not apply). */
    readonly choices: number;
    /** The routers see the dynos' loads as refreshed this often; null: live. */
    readonly loadRefreshUs: number | null;
  };
  readonly traffic: TrafficSpec;
  readonly queues: readonly QueueSpec[];
  readonly jobSources: readonly JobSource[];
  readonly oneOffs: readonly OneOffSpec[];
  readonly scheduler: readonly SchedulerTask[];
  /** Scripted events, in time order (stable for equal times). */
  readonly events: readonly PlatformEvent[];
  /** log-runtime-metrics: samples every 20 s per dyno. */
  readonly runtimeMetrics: boolean;
  /** How long the formation's dynos have been up at time zero: a random part of their daily cycle, or not at all. */
  readonly dynoAges: 'random' | 'zero';
  /** Scaling strategies, one per process type that has one (fixed types have none). */
  readonly scaling: readonly ScalingPlan[];
  /** The scenario as written (after --set), for reports. */
  readonly source: unknown;
}

/** A process type's scaling strategy, resolved: times in µs, presets filled in. */

export type ScalingPlan =
  | {
      readonly strategy: 'schedule';
      readonly process: number;
      readonly initial: number;
      /** The size the entry in force at time zero names, if it names one. */
      readonly initialSize: DynoSize | null;
      /** Each change of count, and of size where the entry names one. */
      readonly changes: readonly { readonly atUs: number; readonly count: number; readonly size: DynoSize | null }[];
    }
  | {
      readonly strategy: 'heroku-autoscale';
      readonly process: number;
      readonly targetUs: number;
      readonly min: number;
      readonly max: number;
      readonly windowUs: number;
      readonly upEveryUs: number;
      readonly downBelow: number;
      readonly downEveryUs: number;
    }
  | {
      readonly strategy: 'queue-time';
      readonly process: number;
      readonly preset: 'judoscale' | 'hirefire';
      readonly metric: 'mean' | 'p95';
      readonly sampleEveryUs: number;
      readonly upUs: number;
      readonly downUs: number;
      readonly upBreaches: number;
      readonly downAfterUs: number;
      readonly upCooldownUs: number;
      readonly downCooldownUs: number;
      readonly step: number;
      readonly downStep: number;
      readonly min: number;
      readonly max: number;
    };
