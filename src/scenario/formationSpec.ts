/**
 * A formation as engineers type it for `heroku ps:scale`: `web=4:standard-2x worker=2`,
 * each process type with a count and, after a colon, a size. It becomes the `--set`
 * assignments of the same fields (`formation.web.count=4`, `formation.web.size=standard-2x`),
 * so a size the profile does not have is reported as the field `formation.web.size`.
 */
import { InputError } from './InputError.ts';

const ENTRY = /^([A-Za-z][A-Za-z0-9_-]*)=(\d+)(?::([A-Za-z0-9][A-Za-z0-9-]*))?$/;

/** The `--set` assignments of a `--formation` string; an InputError naming the option and the entry if one does not parse. */
export function formationSets(spec: string, option = '--formation'): string[] {
  const entries = spec.split(/[\s,]+/).filter((e) => e !== '');
  if (entries.length === 0) throw new InputError(`${option}: expected type=count[:size] entries such as 'web=4:standard-2x worker=2', got ${JSON.stringify(spec)}`);
  const sets: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const m = ENTRY.exec(entry);
    if (m === null) throw new InputError(`${option}: expected type=count[:size] such as web=4:standard-2x, got ${JSON.stringify(entry)}`);
    const [, type, count, size] = m as unknown as [string, string, string, string | undefined];
    if (seen.has(type)) throw new InputError(`${option}: ${type} is given twice`);
    seen.add(type);
    sets.push(`formation.${type}.count=${Number(count)}`);
    if (size !== undefined) sets.push(`formation.${type}.size=${size}`);
  }
  return sets;
}
