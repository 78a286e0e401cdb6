/**
 * Input a user can fix (an option, an SLO, a list of sizes, a path, a file they gave):
 * its message is one line for them. The command line prints it and exits with status 2;
 * a program or a notebook calling the library catches it like any error. It lives in the
 * engine, below everything, so that the readers of user files in the model (replayed logs)
 * can throw it too; scenario/InputError.ts re-exports it.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}
