/** A service-time distribution: its analytic moments, and a filler drawing from a given stream. */
import type { Uniform } from '../../../engine/streams.ts';

export interface ServiceDistribution {
  readonly name: string;
  /** Mean service time in microseconds. */
  readonly meanUs: number;
  /** Variance in microseconds squared. */
  readonly varianceUs2: number;
  /**
   * A function filling an array with the next service times (microseconds) drawn from
   * `u`; successive calls continue one sequence. The engine reads service times from
   * such a buffer, so that no draw crosses a function boundary as a boxed float.
   */
  filler(u: Uniform): (out: Float64Array) => void;
}
