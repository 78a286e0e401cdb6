/** `--formation 'web=4:standard-2x worker=2'` on run, cost and plan: a formation as `heroku ps:scale` takes it. */
import { formationSets } from '../../scenario/formationSpec.ts';

export const FORMATION_HELP =
  "the formation as heroku ps:scale takes it, e.g. 'web=4:standard-2x worker=2' (counts, and sizes after a colon; the same as --set formation.<type>.count and .size)";

/** The options with `--formation` laid under their own `--set`s, which come after it and win. */
export function withFormation<T extends { set: string[]; formation?: string }>(opts: T): T {
  return opts.formation === undefined ? opts : { ...opts, set: [...formationSets(opts.formation), ...opts.set] };
}
