/** Memory sizes in scenario files ("512MB", "2.5GB"), in megabytes as Heroku counts them (1 GB = 1024 MB). */

const MB_PER: Readonly<Record<string, number>> = { KB: 1 / 1024, MB: 1, GB: 1024, TB: 1024 * 1024 };

/** Parses "512MB" or "2.5GB" into megabytes; undefined when it is not a memory size with a unit. */
export function parseMemoryMb(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([KMGT])i?B\s*$/i.exec(text);
  if (m === null) return undefined;
  return Number(m[1]) * MB_PER[m[2]!.toUpperCase() + 'B']!;
}

const SECONDS_PER: Readonly<Record<string, number>> = { s: 1, min: 60, m: 60, h: 3600, d: 86400 };

/** Parses a memory growth rate such as "40MB/h" into megabytes per hour; undefined when it is not one. */
export function parseMemoryRateMbPerH(text: string): number | undefined {
  const m = /^\s*(.+?)\s*\/\s*(s|min|m|h|d)\s*$/.exec(text);
  if (m === null) return undefined;
  const mb = parseMemoryMb(m[1]!);
  if (mb === undefined) return undefined;
  return (mb / SECONDS_PER[m[2]!]!) * 3600;
}
