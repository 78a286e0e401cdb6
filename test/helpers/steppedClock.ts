/**
 * Preloaded (`node --import`) into a dynosim process by the tests that watch its progress
 * bar: there `performance.now()` reads a clock that moves on 250 ms at each reading and
 * not with the wall. `dynosim run` draws its bar once a run has taken a second, so under
 * this clock from the bar's fourth reading on, and at every reading after that (each is
 * more than the 100 ms between frames): whether and how often a test sees the bar no
 * longer depends on how fast the machine is. Only `performance.now` changes.
 */
/** How far the clock moves at each reading, ms. */
const STEP_MS = 250;
let ms = 0;
performance.now = () => (ms += STEP_MS);
