import { InputError } from '../../scenario/InputError.ts';

/** A plan option the user can fix (an SLO, a list of sizes or concurrencies): one line, exit status 2. */
export class PlanInputError extends InputError {
  override readonly name: string = 'PlanInputError';
}
