/**
 * `--formation 'web=4:standard-2x worker=2'` on the command line: the counts and sizes of
 * `heroku ps:scale`, as the `--set` assignments of the same fields
 * (`formation.web.count=4`, `formation.web.size=standard-2x`), so a size the profile does
 * not have is reported as the field `formation.web.size`.
 */
import { InputError } from './InputError.ts';
import { parseScale } from './schema/cliFormation.ts';

/** The `--set` assignments of a `--formation` string; an InputError naming the option and the entry if one does not parse. */
export function formationSets(spec: string, option = '--formation'): string[] {
  const entries = parseScale(spec);
  if (typeof entries === 'string') throw new InputError(`${option}: ${entries}`);
  return entries.flatMap((e) => [`formation.${e.type}.count=${e.count}`, ...(e.size === undefined ? [] : [`formation.${e.type}.size=${e.size}`])]);
}

