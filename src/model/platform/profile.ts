/**
 * A platform profile: the published (and, where unpublished, assumed) numbers of one era
 * of the dyno platform. Profiles are plain frozen data; every number can be overridden
 * from a scenario's `platform:` block. Numbers Heroku does not publish are marked so
 * here and in docs/model.md and docs/scenario.md (†).
 */
import type { ServiceDistribution } from '../traffic/service/ServiceDistribution.ts';

/** One dyno size of a profile's price book. */
export interface DynoSize {
  readonly name: string;
  /** Memory quota in MB (1 GB = 1024 MB). */
  readonly memoryMb: number;
  /** CPU share relative to the smallest shared size (1X = 1); dedicated sizes give their core count. */
  readonly cpuShare: number;
  /** Performance dynos have a host to themselves. */
  readonly dedicated: boolean;
  /** Price in US dollars per `billing.pricePer` (an hour in 2013, a month since). */
  readonly priceUsd: number;
  /** How many free dyno-hours one hour of this size uses up (2013: 1X 1, 2X 2, PX 16). */
  readonly freeHoursWeight: number;
  /** Time from process start to binding $PORT (Heroku: 20-60 s, usually 30-45 s). */
  readonly boot: ServiceDistribution;
  /** Memory at which the dyno is killed (R15), as a multiple of its quota. */
  readonly r15Multiple: number;
  /** Eco and Basic run at most one dyno per process type. */
  readonly onePerProcessType: boolean;
}

/** Router limits of an era. */
export interface RouterLimits {
  /** The router answers H12 when no response has come this long after the request reached it. */
  readonly timeoutUs: number;
  /** The per-app backlog is capped at this many queued requests per web dyno; past it, H11. */
  readonly backlogPerDyno: number;
  /** A dyno that does not accept a connection this long is given up on (H19 after the last attempt). */
  readonly connectTimeoutUs: number;
  /** A dyno that failed a connection is skipped this long. */
  readonly quarantineUs: number;
  /** Connection attempts per request at most (fewer with fewer web dynos). */
  readonly maxAttempts: number;
  /** Requests are held this long while no dyno can take them (dynos booting: H20; all quarantined: H99). */
  readonly holdUs: number;
  /**
   * How long the router goes on sending requests to a dyno whose process has exited
   * before it learns (they are refused: H21 after the last attempt). Not published.
   */
  readonly routeUpdateUs: number;
  /**
   * Routers in front of the app's dynos, each request sent to one at random. They do not
   * coordinate: each keeps its own counts, backlog and cap. Heroku runs many; how many is
   * not published.
   */
  readonly routers: number;
  /**
   * Requests one router sends one dyno at a time at most (50 for Cedar, published in 2014);
   * past it at every dyno, requests wait in the router's own backlog.
   */
  readonly maxActivePerDyno: number;
}

/** The EC2 instances dynos run on, and how the dyno manager places dynos on them. */
export interface HostRules {
  /** Availability zones, in order; hosts are numbered zone by zone. */
  readonly zones: readonly string[];
  /** Not published: enough hosts that an app's dynos rarely share one. */
  readonly hostsPerZone: number;
  /** Memory and dyno slots per host (an outside estimate: ~124 standard-1X per r3.2xlarge). */
  readonly memoryMb: number;
  readonly slots: number;
  readonly placement: string;
  /** Mean time between failures of one host, exponential; Infinity for none. Not published. */
  readonly mtbfUs: number;
  /** Mean time to repair a failed host, exponential. Not published. */
  readonly repairUs: number;
  /** From a host failing to the dyno manager relocating its dynos. Not published. */
  readonly detectionUs: number;
}

/** How the dyno manager starts, restarts and stops dynos. */
export interface DynoManagerRules {
  /** Crash back-off: 'heroku-2013', 'heroku-2013-early' or 'heroku-2019'. */
  readonly restartPolicy: string;
  /** A dyno up this long has "started fine" and its crash back-off resets (not published for 2019 on). */
  readonly stableAfterUs: number;
  /** A web dyno that has not bound $PORT this long after starting is killed (R10). */
  readonly bootTimeoutUs: number;
  /** SIGTERM to SIGKILL (R12 when processes outlive it). */
  readonly shutdownGraceUs: number;
  /** Daily cycling: every dyno restarted after `cycleEveryUs` plus a uniform draw up to `cycleJitterUs`. */
  readonly cycling: boolean;
  readonly cycleEveryUs: number;
  readonly cycleJitterUs: number;
  /** Preboot's switch to the new processes comes this long after the boot timeout (2 min: "approximately 3 minutes" with the 1 min timeout). */
  readonly prebootSwitchUs: number;
  /** A one-off dyno (`run.N`, `scheduler.N`) still running this long after its start, boot included, is stopped. */
  readonly oneOffLimitUs: number;
}

/** Other apps' dynos on shared hosts, slowing ours when they are busy. Off unless a scenario sets it. */
export interface NoisyNeighbours {
  /** Service-time multiplier on a shared-size dyno while its host is busy. */
  readonly slowdown: number;
  /** Long-run share of time a host is busy. */
  readonly busyShare: number;
  /** Mean length of a busy period, exponential. */
  readonly busyPeriodUs: number;
}

/** How dyno time turns into money. */
export interface BillingRules {
  /** 'hour': price per dyno-hour (2013); 'month': price per dyno-month, prorated to the second, capped at the monthly price (2025). */
  readonly pricePer: 'hour' | 'month';
  /** Free dyno-hours per app per billing month (750 in 2013; none today). */
  readonly freeHoursPerMonth: number;
  /** Length of a billing month in microseconds (not published: 30 days by default). */
  readonly monthUs: number;
  /**
   * Whether a crashed dyno accrues usage. Heroku: "all dynos scaled above 0 accrue usage,
   * regardless of whether they're receiving or processing requests", so true.
   */
  readonly billCrashed: boolean;
}

/**
 * Eco (today): the account's pool of dyno hours for the month, shared by all its Eco apps,
 * and web dynos that sleep without traffic. The pool's subscription is the size's price, a
 * flat sum per month whatever the hours.
 */
export interface EcoRules {
  /** The size that is Eco. */
  readonly size: string;
  /** Dyno hours a month (1000 as published). */
  readonly poolHours: number;
  /** Hours the account's other apps have used of this month's pool when the run starts. */
  readonly poolUsedHours: number;
  /** An Eco web dyno sleeps after this long without web traffic (30 min as published). */
  readonly sleepAfterUs: number;
}

/** Limits on an app's formation. */
export interface AppLimits {
  /** Dynos in all, over every process type (100 as published; Heroku raises it on request). */
  readonly dynosPerApp: number;
}

export interface PlatformProfile {
  readonly name: string;
  readonly description: string;
  readonly sizes: Readonly<Record<string, DynoSize>>;
  readonly limits: AppLimits;
  readonly router: RouterLimits;
  readonly billing: BillingRules;
  readonly hosts: HostRules;
  readonly dynoManager: DynoManagerRules;
  readonly noisyNeighbours: NoisyNeighbours | null;
  /** Eco's pool and sleeping; null where the profile has no Eco dynos. */
  readonly eco: EcoRules | null;
  /** When simulated time zero is, for log timestamps (ms since the epoch). */
  readonly epochMs: number;
}
