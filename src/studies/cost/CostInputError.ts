import { InputError } from '../../scenario/InputError.ts';

/** A `dynosim cost` option the user can fix (--sizes, --counts, --hours, --process): one line, exit status 2. */
export class CostInputError extends InputError {
  override readonly name: string = 'CostInputError';
}
