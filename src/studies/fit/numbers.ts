/** How dynosim fit writes numbers: three significant digits, durations with a unit, counts with separators. */
import { formatLogTime } from '../../model/logs/timestamp.ts';

/**
 * `x` to three significant digits, without exponent or trailing zeros: 8.41, 45.2, 1230,
 * 0.00123. Values below 1e-6 are written as 0.
 */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`expected a finite number, got ${x}`);
  if (Math.abs(x) < 1e-6) return '0';
  return String(Number(x.toPrecision(3)));
}

/** A duration to three significant digits with the unit a scenario reads: `0.5ms`, `45.2ms`, `1.3s`, `75.2s`. */
export function durationText(us: number): string {
  const ms = Number((us / 1000).toPrecision(3));
  if (ms < 1000) return `${sig3(ms)}ms`;
  return `${sig3(us / 1e6)}s`;
}

/** A whole number with thousands separators: 2,589,143. */
export function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An instant as ISO 8601 UTC to the second: 2025-06-03T09:00:12Z. */
export function isoSecond(epochUs: number): string {
  return `${formatLogTime(Math.floor(epochUs / 1e6) * 1e6).slice(0, 19)}Z`;
}

/** A whole number of minutes the way a scenario reads it: 20m, 26h, 6h30m. */
export function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes}m`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
