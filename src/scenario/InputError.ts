/**
 * Input a user can fix (an option, an SLO, a list of sizes, a path): its message is one
 * line for them. The command line prints it and exits with status 2; a program or a
 * notebook calling the library catches it like any error.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}
