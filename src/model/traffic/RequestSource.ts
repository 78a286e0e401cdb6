/**
 * Where requests come from: drawn from a scenario's rate and classes, or read from a
 * user's logs. The request flow pulls them a batch at a time into typed arrays, so that
 * nothing is allocated per request.
 */
export interface RequestSource {
  /**
   * Fills the three arrays, index by index, with the next requests: arrival time (µs from
   * the start, non-decreasing across calls; Infinity once no more come), service time (µs)
   * and class (an index into the scenario's classes).
   */
  fill(arrivalUs: Float64Array, serviceUs: Float64Array, cls: Int32Array): void;
}

/** No traffic at all (a formation with no web dynos). */
export const noRequests: RequestSource = {
  fill(arrivalUs: Float64Array): void {
    arrivalUs.fill(Infinity);
  },
};
