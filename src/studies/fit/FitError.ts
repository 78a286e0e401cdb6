/** Why a log cannot be fitted (no router line in it, no answered request): one line, for the user. */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}
