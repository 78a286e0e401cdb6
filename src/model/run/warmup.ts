/**
 * `warmup: auto`: the warm-up found from the run itself. A first pass of the run (the
 * same scenario and seed, nothing kept but one number a minute) gives the web tier's
 * per-minute queue, `queueMean` of timeseries.csv; MSER-5 (stats/mser.ts; White 1997)
 * chooses where its initial transient ends, in whole batches of 5 minutes. The run is
 * then made again with that fixed warm-up: every statistic a fixed warm-up excludes
 * (latency, queue time, errors, per-class and per-dyno counts, busy shares, job queues)
 * excludes the detected one exactly, with no per-minute histograms kept, and a run with
 * `warmup: auto` that detects d gives the same numbers as one with `warmup: d`. The
 * price is a second pass: about twice the run's time.
 *
 * Why queueMean: the transient of a queueing run is the queue's (an empty start, a
 * backlog draining, a formation still booting all show there first); the series is a
 * time average over each minute, defined for every minute even without traffic, and
 * exact, not a sample; and it is in timeseries.csv, so anyone can check the detection.
 * Response-time percentiles per minute carry the service time's spread on top, and are
 * missing in a minute without responses.
 */
import { InputError } from '../../engine/InputError.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import { MIN_BATCHES, MSER_BATCH, mser5 } from '../../stats/mser.ts';
import { MINUTE_US } from '../flow/MinuteSeries.ts';
import type { Scenario, WarmupDetection } from '../Scenario.ts';
import { runRun, runRunPausing } from './runRun.ts';
import { wire, type SimulateOptions } from './wire.ts';

/** `warmup: auto` could not be detected on this run: its message is for the `warmup` field. */
export class WarmupError extends InputError {
  override readonly name: string = 'WarmupError';
  /** The scenario field at fault. */
  readonly path = 'warmup';
  /** The message without the field's name, for a line that names file and field. */
  readonly problem: string;

  constructor(problem: string) {
    super(`warmup: ${problem}`);
    this.problem = problem;
  }
}

/** True for a scenario with `warmup: auto` whose warm-up has not been detected yet. */
export function needsDetection(s: Scenario): boolean {
  return s.warmupAuto !== undefined && s.warmupAuto.detected === null;
}

/** The pilot pass: the scenario with no warm-up, keeping only the minutes' queueMean. */
function pilot(s: Scenario): { scenario: Scenario; options: SimulateOptions; queue: number[] } {
  const queue: number[] = [];
  const options: SimulateOptions = { onMinute: (row) => queue.push(row.queueMean), onQueueMinute: () => {}, onMetrics: () => {}, onScaling: () => {} };
  return { scenario: { ...s, warmupUs: 0 }, options, queue };
}

/** `s` (with `warmup: auto`) with its warm-up detected on a first pass; throws WarmupError when the run is too short to tell. */
export function detectWarmup(s: Scenario): Scenario {
  if (!needsDetection(s)) return s;
  const p = pilot(s);
  runRun(wire(p.scenario, p.options));
  return withDetected(s, p.queue);
}

/** detectWarmup, handing the thread to `pause` now and then (see runRunPausing). */
export async function detectWarmupPausing(s: Scenario, pause: () => Promise<void>): Promise<Scenario> {
  if (!needsDetection(s)) return s;
  const p = pilot(s);
  await runRunPausing(wire(p.scenario, p.options), pause);
  return withDetected(s, p.queue);
}

/** The scenario with the warm-up MSER-5 finds on the per-minute queue (the minutes wholly inside the duration). */
export function withDetected(s: Scenario, queueMean: readonly number[]): Scenario {
  const minutes = Math.min(queueMean.length, Math.floor(s.durationUs / MINUTE_US));
  const r = mser5(queueMean.slice(0, minutes));
  const batchMin = MSER_BATCH;
  if (!r.ok) {
    const fix = 'give a longer duration or a fixed warm-up';
    throw new WarmupError(
      r.reason === 'too-few-batches'
        ? `auto needs a run of at least ${formatDuration(MIN_BATCHES * batchMin * MINUTE_US)} to detect a warm-up by MSER-5 (${MIN_BATCHES} batches of ${batchMin} minutes), duration is ${formatDuration(s.durationUs)}: ${fix}`
        : `auto: MSER-5 finds the queue still settling at the end of the first half of the run (${formatDuration(Math.floor(r.k / 2) * batchMin * MINUTE_US)} of ${formatDuration(s.durationUs)}): the run is too short to detect the end of its warm-up; ${fix}`,
    );
  }
  const detected: WarmupDetection = Object.freeze({
    rule: 'MSER-5',
    series: 'queueMean',
    batchMinutes: batchMin,
    batches: r.k,
    truncatedBatches: r.batches,
    detectedS: (r.observations * MINUTE_US) / 1e6,
  });
  return Object.freeze({ ...s, warmupUs: r.observations * MINUTE_US, warmupAuto: Object.freeze({ rule: 'MSER-5' as const, detected }) });
}
