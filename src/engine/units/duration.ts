/**
 * Durations in scenario files carry their unit ("250ms", "30s", "10m", "2h", "30d",
 * or compounds such as "1h30m"). The engine's one time unit is the microsecond; this
 * module is the only place that converts from what users write.
 */

/** Microseconds per unit, keyed by the suffixes a scenario may use. */
export const US_PER_UNIT: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
  w: 604_800_000_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(us|ms|min|s|m|h|d|w)/y;

/**
 * Parses a duration such as "250ms" or "1h30m" into microseconds.
 * Returns undefined when the text is not a duration with units.
 */
export function parseDurationUs(text: string): number | undefined {
  const s = text.trim();
  if (s.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) return undefined;
    total += Number(m[1]) * US_PER_UNIT[m[2]!]!;
    pos = PART.lastIndex;
    while (s[pos] === ' ') pos++;
  }
  return total;
}

/** Formats microseconds the short way a person reads them: "250ms", "2h", "30d". */
export function formatDuration(us: number): string {
  if (us === 0) return '0s';
  const units: Array<[string, number]> = [['d', 86_400e6], ['h', 3_600e6], ['m', 60e6], ['s', 1e6], ['ms', 1e3]];
  for (const [name, size] of units) {
    if (us >= size && us % size === 0) return `${us / size}${name}`;
  }
  if (us >= 1e6) return `${+(us / 1e6).toFixed(3)}s`;
  if (us >= 1e3) return `${+(us / 1e3).toFixed(3)}ms`;
  return `${us}us`;
}
