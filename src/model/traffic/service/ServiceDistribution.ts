/** A service-time distribution: its analytic moments, and a filler drawing from a given stream. */
import type { Uniform } from '../../../engine/streams.ts';

export interface ServiceDistribution {
  readonly name: string;
  /** Mean service time in microseconds. */
  readonly meanUs: number;
  /** Variance in microseconds squared. */
  readonly varianceUs2: number;
  /** A filler of service times drawn from `u`. */
  filler(u: Uniform): Filler;
}

/**
 * Fills an array with the next service times (microseconds); successive calls continue one
 * sequence. The engine reads service times from such a buffer, so that no draw crosses a
 * function boundary as a boxed float. Each distribution's filler is a class, so that the
 * code calling `fill` sees one call target per distribution in every run (see AleaStream).
 */
export interface Filler {
  fill(out: Float64Array): void;
}
