/** Input a user can fix: defined in the engine (engine/InputError.ts), below every reader of user files. */
export { InputError } from '../engine/InputError.ts';
