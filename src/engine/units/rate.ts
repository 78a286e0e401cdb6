/**
 * Rates in scenario files: "150/s", "9000/min", "2/h". Converted to events per second,
 * the unit traffic generators work in (they turn it into per-microsecond themselves).
 */

const SECONDS_PER: Readonly<Record<string, number>> = {
  s: 1, sec: 1, second: 1,
  m: 60, min: 60, minute: 60,
  h: 3600, hour: 3600,
  d: 86400, day: 86400,
};

const RATE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*\/\s*([a-z]+)\s*$/;

/** Parses "9000/min" into 150 (per second); undefined when the text is not such a rate. */
export function parseRatePerS(text: string): number | undefined {
  const m = RATE.exec(text);
  if (m === null) return undefined;
  const per = SECONDS_PER[m[2]!];
  if (per === undefined) return undefined;
  return Number(m[1]) / per;
}

/** True when the text looks like a rate literal ("n/unit") rather than an expression. */
export function looksLikeRateLiteral(text: string): boolean {
  return RATE.test(text);
}
