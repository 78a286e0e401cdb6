import { InputError } from '../../scenario/InputError.ts';

/** Input the user can fix (an option, a path): printed as one line, exit status 2. */
export class UsageError extends InputError {
  override readonly name: string = 'UsageError';
}
