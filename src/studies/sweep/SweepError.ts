import { InputError } from '../../scenario/InputError.ts';

/** A sweep's options or shard files are not usable: the message is one line for the user (the command prints it, exit status 2). */
export class SweepError extends InputError {
  override readonly name: string = 'SweepError';
}
