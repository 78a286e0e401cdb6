/** An arrival process: successive arrival times in microseconds, non-decreasing. */
export interface ArrivalProcess {
  /** The next arrival time (absolute, microseconds); Infinity when no more arrive. */
  next(): number;
  /** Fills `out` with the next arrival times, as successive `next()` calls would. */
  fill(out: Float64Array): void;
}
