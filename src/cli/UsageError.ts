/** Input the user can fix (an option, a path): printed as one line, exit status 2. */
export class UsageError extends Error {}
