/**
 * The canonical dynosim benchmark as a closed form, in plain JavaScript: the "JavaScript,
 * closed form" row of the benchmarks' table (20 M requests/s there), measured by
 * `npm run bench` beside dynosim on the same Node.
 *
 * Model (scenarios/bench/canonical.yaml): 50 dynos serving one request at a time, FIFO;
 * random routing; Poisson arrivals at 400/s; exponential service of mean 100 ms; a
 * response over the 30 s router timeout counts as an H12 (the dyno still finishes it).
 * With one worker per FIFO dyno and nothing else happening, no event list is needed: each
 * dyno's next-free time gives a request's start (Lindley's recursion), so one request is
 * three draws and a few additions. The tally is the SimPy peer's (scripts/peers/
 * simpy_canonical.py): requests done, the mean client time (an H12 counts as 30 s), H12s.
 * Draws come from seedrandom's alea, as dynosim's do.
 *
 * Usage: node scripts/peers/closed_form.js [N] [runs]
 * One warm-up run, then `runs` timed runs (default 3) of N requests (default 2 000 000);
 * prints one JSON line: requests, runs[{seconds, requestsPerS}], requestsPerS (median),
 * meanResponseMs, h12.
 */
import seedrandom from 'seedrandom';

const DYNOS = 50;
const RATE_PER_S = 400;
const SERVICE_MEAN_S = 0.1;
const TIMEOUT_S = 30;

function simulate(n, seed) {
  const arrivals = seedrandom.alea(`closed-form/${seed}/arrivals`);
  const routing = seedrandom.alea(`closed-form/${seed}/routing`);
  const service = seedrandom.alea(`closed-form/${seed}/service`);
  const freeAt = new Float64Array(DYNOS);
  let t = 0;
  let clientTotalS = 0;
  let h12 = 0;
  for (let i = 0; i < n; i++) {
    t -= Math.log(1 - arrivals()) / RATE_PER_S;
    const d = (routing() * DYNOS) | 0;
    const start = freeAt[d] > t ? freeAt[d] : t;
    const end = start - Math.log(1 - service()) * SERVICE_MEAN_S;
    freeAt[d] = end;
    const response = end - t;
    if (response > TIMEOUT_S) {
      h12++;
      clientTotalS += TIMEOUT_S;
    } else clientTotalS += response;
  }
  return { meanResponseMs: (clientTotalS / n) * 1000, h12 };
}

const n = Number(process.argv[2] ?? 2_000_000);
const count = Number(process.argv[3] ?? 3);
simulate(n, 0);
const runs = [];
let tally;
for (let i = 1; i <= count; i++) {
  const t0 = performance.now();
  tally = simulate(n, i);
  const seconds = (performance.now() - t0) / 1000;
  runs.push({ seconds, requestsPerS: n / seconds });
}
const rates = runs.map((r) => r.requestsPerS).sort((a, b) => a - b);
const median = rates.length % 2 === 1 ? rates[rates.length >> 1] : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
process.stdout.write(`${JSON.stringify({ requests: n, runs, requestsPerS: median, meanResponseMs: tally.meanResponseMs, h12: tally.h12 })}\n`);
