/** The candidate lists of `dynosim plan`: `--sizes 1X,2X,PX`, `--concurrency 1..8` or `1,2,4`, `--strategies base,autoscale`. */
import { PlanInputError } from './PlanInputError.ts';

/** Most concurrencies one `--concurrency` may name (each multiplies the search). */
export const MAX_CONCURRENCIES = 64;

/** A comma list of names, in the order given, without repeats; throws on an empty item. */
export function parseNames(option: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new PlanInputError(`${option} ${JSON.stringify(text)}: expected a comma list of names such as a,b,c, with none empty`);
  return [...new Set(items)];
}

/** `1..8`, `1,2,4` or a mix (`1,2,4..8`): whole numbers of at least 1, ascending, without repeats. */
export function parseConcurrency(text: string, option = '--concurrency'): number[] {
  const bad = (why: string): PlanInputError => new PlanInputError(`${option} ${JSON.stringify(text)}: ${why}`);
  const out = new Set<number>();
  for (const item of text.split(',').map((s) => s.trim())) {
    const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(item);
    if (range !== null) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (a < 1 || b < a) throw bad(`expected a range from at least 1 up, such as 1..8, got ${JSON.stringify(item)}`);
      if (b - a + 1 > MAX_CONCURRENCIES) throw bad(`expected at most ${MAX_CONCURRENCIES} values, got ${b - a + 1} in ${item}`);
      for (let c = a; c <= b; c++) out.add(c);
    } else if (/^\d+$/.test(item) && Number(item) >= 1) {
      out.add(Number(item));
    } else {
      throw bad(`expected whole numbers of at least 1 or ranges, such as 1..8 or 1,2,4, got ${JSON.stringify(item)}`);
    }
  }
  if (out.size > MAX_CONCURRENCIES) throw bad(`expected at most ${MAX_CONCURRENCIES} values, got ${out.size}`);
  return [...out].sort((a, b) => a - b);
}
