/**
 * A platform profile: the published (and, where unpublished, assumed) numbers of one era
 * of the dyno platform. Profiles are plain frozen data; every number can be overridden
 * from a scenario's `platform:` block.
 */

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
}

/** Router limits of an era. */
export interface RouterLimits {
  /** The router answers H12 when no response has come this long after the request reached it. */
  readonly timeoutUs: number;
  /** The per-app backlog is capped at this many queued requests per web dyno; past it, H11. */
  readonly backlogPerDyno: number;
}

/** How dyno time turns into money. */
export interface BillingRules {
  /** 'hour': price per dyno-hour (2013); 'month': price per dyno-month, prorated to the second, capped at the monthly price (2025). */
  readonly pricePer: 'hour' | 'month';
  /** Free dyno-hours per app per billing month (750 in 2013; none today). */
  readonly freeHoursPerMonth: number;
  /** Length of a billing month in microseconds (not published: 30 days by default). */
  readonly monthUs: number;
}

export interface PlatformProfile {
  readonly name: string;
  readonly description: string;
  readonly sizes: Readonly<Record<string, DynoSize>>;
  readonly router: RouterLimits;
  readonly billing: BillingRules;
}
