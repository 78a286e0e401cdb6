/** A service-time distribution: its analytic moments, and a sampler drawing from a given stream. */
import type { Uniform } from '../../engine/streams.ts';

export interface ServiceDistribution {
  readonly name: string;
  /** Mean service time in microseconds. */
  readonly meanUs: number;
  /** Variance in microseconds squared. */
  readonly varianceUs2: number;
  /** A function drawing one service time (microseconds) per call from `u`. */
  sampler(u: Uniform): () => number;
  /**
   * A function filling an array with the next draws, in the order `sampler` would give
   * them: the engine's hot path reads service times from a buffer, so that no draw
   * crosses a function boundary as a boxed float.
   */
  filler(u: Uniform): (out: Float64Array) => void;
}
