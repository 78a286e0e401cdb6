/**
 * The bench's measuring child: `npm run bench` (scripts/bench.ts) runs every in-process
 * row, the memory check and the month in a fresh process of this script, which runs
 * simulate() from the compiled library (dist/index.js, as the package ships it; the bench
 * builds it first) and prints its figures as one line of JSON.
 *
 * Plain JavaScript importing the compiled code, not the TypeScript sources, because a
 * process that loads a `.ts` file runs the simulator slower: Node's type stripping runs in
 * WebAssembly, whose memory grows by detaching its old ArrayBuffer, and V8 then gives up,
 * for the whole process, its assumption that no ArrayBuffer is ever detached
 * (`node --trace-protector-invalidation` shows it). Every typed-array access of the
 * request path then checks its buffer again: the busy month's model ran about 4% slower
 * (12 h of it, median ratio 0.956 over 8 A/B pairs). The executable and the library from
 * dist/ never pay it, so this is what the bench times.
 *
 *   node scripts/bench-child.js --in-process [path=value …]   the in-process runs (scripts/bench.ts takes their medians)
 *   node scripts/bench-child.js --untuned                     the same, canonical, with Node's default inlining budget
 *   node scripts/bench-child.js --memory [path=value …]       one run, with its peak RSS
 *
 * The in-process measurement is three warm-up runs and five timed runs of the canonical
 * model with those values set: warm means compiled for good, since with the larger
 * inlining budget the request path is optimized as one function, which V8 does only after
 * a few runs (one warm-up run left the first timed runs at 0.23 and 0.21 s, the third 0.16 s).
 */
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, simulate, tuneJit } from '../dist/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO = 'scenarios/bench/canonical.yaml';
const WARMUP_RUNS = 3;
const IN_PROCESS_RUNS = 5;

/** One simulation run, timed; every arrival is counted from the minute rows, which are not kept. */
function timedRun(s) {
  let requests = 0;
  const t0 = performance.now();
  const r = simulate(s, { onMinute: (row) => void (requests += row.arrivals) });
  const wallS = (performance.now() - t0) / 1000;
  return { requests, events: r.events, wallS };
}

function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

function log(msg) {
  process.stderr.write(`bench child: ${msg}\n`);
}

function measureInProcess(s) {
  log(`in-process: ${WARMUP_RUNS} warm-up runs`);
  for (let i = 0; i < WARMUP_RUNS; i++) timedRun(s);
  const runs = [];
  for (let i = 0; i < IN_PROCESS_RUNS; i++) {
    const r = timedRun(s);
    log(`in-process run ${i + 1}/${IN_PROCESS_RUNS}: ${r.requests} requests in ${r.wallS.toFixed(3)} s`);
    runs.push(r);
  }
  return { warmupRuns: WARMUP_RUNS, runs, peakRssMb: peakRssMb() };
}

const [mode, ...set] = process.argv.slice(2);
const scenarioFile = join(ROOT, SCENARIO);
let out;
if (mode === '--untuned') {
  out = measureInProcess(await loadScenario(scenarioFile));
} else if (mode === '--in-process' || mode === '--memory') {
  // As the executable runs the simulator (src/interfaces/cli/main.ts).
  tuneJit();
  const s = await loadScenario(scenarioFile, { set });
  out = mode === '--memory' ? { ...timedRun(s), peakRssMb: peakRssMb() } : measureInProcess(s);
} else {
  process.stderr.write('usage: node scripts/bench-child.js --in-process|--untuned|--memory [path=value …]\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
