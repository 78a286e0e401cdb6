/** A plan option the user can fix (an SLO, a list of sizes or concurrencies): one line, exit status 2. */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}
