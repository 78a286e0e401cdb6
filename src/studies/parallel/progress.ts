/**
 * A one-line progress bar for long commands (sweeps, comparisons, plans), drawn on stderr:
 *
 *   sweep  [██████████░░░░░░░░░░░░░░]  42/100  42%  0:12 elapsed · ETA 0:16
 *
 * It is redrawn at most ten times a second and cleared by `end()`, so what stays on the
 * terminal is the command's own output. It draws on whatever stream it is given: callers
 * decide with `wantProgress` whether to show one (by default only on a terminal).
 *
 * Everything a bar reads from outside, the stream, the clock and the timer, is given to
 * it: the command line gives its stderr, `performance.now` and a timer
 * (interfaces/cli/terminal.ts), and tests draw exact frames at the times they choose.
 */

/** A stream a bar draws on: its `columns` (80 when unset) decide how wide the bar is. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** A clock: milliseconds since any fixed origin, as `performance.now()` counts them. */
export type Clock = () => number;

/** Calls `tick` every `ms` milliseconds until the function it returns is called. */
export type Every = (ms: number, tick: () => void) => () => void;

/** Where a bar draws and what it reads the time from. */
export interface ProgressOptions {
  /** Where to draw. */
  stream: ProgressStream;
  /** The clock, in ms. */
  now: Clock;
}

/** Options of `progressBar`. */
export interface ProgressBarOptions extends ProgressOptions {
  /** The timer that redraws the elapsed time and ETA while no task ends (every 1000 ms). */
  every: Every;
}

/** Options of `runProgress`. */
export interface RunProgressOptions extends ProgressOptions {
  /** How long a run must have taken before its bar is first drawn, in ms: 1000 by default, so short runs print nothing. */
  afterMs?: number;
}

/** The bar of a command's tasks. */
export interface ProgressBar {
  /** The number of tasks done so far. */
  update(done: number): void;
  /** Clears the bar's line, if it drew one; later calls do nothing. */
  end(): void;
}

/** Whether to draw a bar: `--progress` / `--no-progress` when given, else only on a terminal. */
export function wantProgress(option: boolean | undefined, stream: ProgressStream): boolean {
  return option ?? stream.isTTY === true;
}

/** A bar that does nothing (for when no bar is wanted). */
export const NO_PROGRESS: ProgressBar = { update: () => {}, end: () => {} };

/** The shortest time between two frames, ms. */
const REDRAW_MS = 100;
/** How often `progressBar` redraws while no task ends, ms. */
const TICK_MS = 1000;
/** How long a run goes before `runProgress` draws, ms. */
const RUN_AFTER_MS = 1000;

/**
 * A bar for `total` tasks, `label` first. `update(done)` takes the number of tasks done;
 * it redraws at most every 100 ms (clock time), and always when the last task is done.
 */
export function progressBar(label: string, total: number, options: ProgressBarOptions): ProgressBar {
  const { stream, now, every } = options;
  const start = now();
  let last = -Infinity;
  let drawn = false;
  let done = 0;
  let ended = false;
  const draw = (t: number): void => {
    const elapsedS = (t - start) / 1000;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const eta = done > 0 && done < total ? ` · ETA ${clock((elapsedS / done) * (total - done))}` : '';
    const counts = `${done}/${total}  ${Math.floor(share * 100)}%  ${clock(elapsedS)} elapsed${eta}`;
    drawLine(stream, label, share, counts);
    drawn = true;
    last = t;
  };

  // The elapsed time and ETA keep moving while long tasks run.
  const stop = every(TICK_MS, () => {
    if (drawn) draw(now());
  });

  return {
    update(n: number): void {
      if (ended) return;
      done = n;
      const t = now();
      if (t - last >= REDRAW_MS || n >= total) draw(t);
    },
    end(): void {
      if (ended) return;
      ended = true;
      stop();
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** Redraws the line: label, a bar as wide as the terminal leaves room for, the counts. */
function drawLine(stream: ProgressStream, label: string, share: number, counts: string): void {
  const columns = stream.columns ?? 80;
  const room = Math.max(0, Math.min(30, columns - label.length - counts.length - 8));
  const filled = Math.round(share * room);
  const bar = room >= 5 ? `[${'█'.repeat(filled)}${'░'.repeat(room - filled)}]  ` : '';
  stream.write(`\r\x1b[2K${label}  ${bar}${counts}`);
}

/** Seconds as m:ss, or h:mm:ss from an hour. */
function clock(s: number): string {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The progress of one long simulation: the simulated time reached, requests simulated so far. */
export interface RunProgress {
  update(nowUs: number, endUs: number, requests: number): void;
  end(): void;
}

/**
 * A bar for one `dynosim run`, drawn only once the run has taken a second (short runs
 * print nothing): simulated time done of the whole, requests simulated per second, time left.
 *
 *   two-web-dynos  [████████░░░░░░░░░░░░░░]  11d 4h of 30d  36%  8.1 M requests/s · ETA 0:03
 *
 * `update` takes the simulated time reached and the run's end (µs) and the requests
 * simulated so far; it redraws at most every 100 ms (clock time).
 */
export function runProgress(label: string, options: RunProgressOptions): RunProgress {
  const { stream, now, afterMs = RUN_AFTER_MS } = options;
  const start = now();
  let last = -Infinity;
  let drawn = false;
  let ended = false;
  return {
    update(nowUs: number, endUs: number, requests: number): void {
      if (ended) return;
      const t = now();
      if (t - start < afterMs || t - last < REDRAW_MS) return;
      const elapsedS = (t - start) / 1000;
      const share = endUs > 0 ? Math.min(1, nowUs / endUs) : 1;
      const rate = requests / elapsedS;
      const eta = share > 0 && share < 1 ? ` · ETA ${clock((elapsedS / share) * (1 - share))}` : '';
      const counts = `${simulated(Math.min(nowUs, endUs))} of ${simulated(endUs)}  ${Math.floor(share * 100)}%  ${(rate / 1e6).toFixed(1)} M requests/s${eta}`;
      drawLine(stream, label, share, counts);
      drawn = true;
      last = t;
    },
    end(): void {
      if (ended) return;
      ended = true;
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** Simulated time to the minute, as people read it: 3d 4h, 19h 23m, 42m. */
function simulated(us: number): string {
  const m = Math.floor(us / 60e6);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  const parts = d > 0 ? [`${d}d`, h > 0 ? `${h}h` : ''] : h > 0 ? [`${h}h`, mm > 0 ? `${mm}m` : ''] : [`${mm}m`];
  return parts.filter((x) => x !== '').join(' ');
}
