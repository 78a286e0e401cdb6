/**
 * A one-line progress bar for long commands (sweeps, comparisons, plans), drawn on stderr:
 *
 *   sweep  [██████████░░░░░░░░░░░░░░]  42/100  42%  0:12 elapsed · ETA 0:16
 *
 * It is redrawn at most ten times a second and cleared by `end()`, so what stays on the
 * terminal is the command's own output. It draws on whatever stream it is given: callers
 * decide with `wantProgress` whether to show one (by default only on a terminal).
 */
type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressBar {
  update(done: number): void;
  end(): void;
}

/** Whether to draw a bar: `--progress` / `--no-progress` when given, else only on a terminal. */
export function wantProgress(option: boolean | undefined, stream: Stream = process.stderr): boolean {
  return option ?? stream.isTTY === true;
}

/** A bar that does nothing (for when no bar is wanted). */
export const NO_PROGRESS: ProgressBar = { update: () => {}, end: () => {} };

const REDRAW_MS = 100;

export function progressBar(label: string, total: number, stream: Stream = process.stderr): ProgressBar {
  const start = performance.now();
  let last = -Infinity;
  let drawn = false;
  let done = 0;
  let ended = false;
  // The elapsed time and ETA keep moving while long tasks run (the timer does not keep the process alive).
  const tick = setInterval(() => {
    if (drawn) draw(performance.now());
  }, 1000);
  tick.unref();

  const draw = (now: number): void => {
    const elapsedS = (now - start) / 1000;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const eta = done > 0 && done < total ? ` · ETA ${clock((elapsedS / done) * (total - done))}` : '';
    const counts = `${done}/${total}  ${Math.floor(share * 100)}%  ${clock(elapsedS)} elapsed${eta}`;
    drawLine(stream, label, share, counts);
    drawn = true;
    last = now;
  };

  return {
    update(n: number): void {
      if (ended) return;
      done = n;
      const now = performance.now();
      if (now - last >= REDRAW_MS || n >= total) draw(now);
    },
    end(): void {
      if (ended) return;
      ended = true;
      clearInterval(tick);
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** Redraws the line: label, a bar as wide as the terminal leaves room for, the counts. */
function drawLine(stream: Stream, label: string, share: number, counts: string): void {
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
 */
export function runProgress(label: string, stream: Stream = process.stderr): RunProgress {
  const start = performance.now();
  let last = -Infinity;
  let drawn = false;
  let ended = false;
  return {
    update(nowUs: number, endUs: number, requests: number): void {
      if (ended) return;
      const now = performance.now();
      if (now - start < 1000 || now - last < REDRAW_MS) return;
      const elapsedS = (now - start) / 1000;
      const share = endUs > 0 ? Math.min(1, nowUs / endUs) : 1;
      const rate = requests / elapsedS;
      const eta = share > 0 && share < 1 ? ` · ETA ${clock((elapsedS / share) * (1 - share))}` : '';
      const counts = `${simulated(Math.min(nowUs, endUs))} of ${simulated(endUs)}  ${Math.floor(share * 100)}%  ${(rate / 1e6).toFixed(1)} M requests/s${eta}`;
      drawLine(stream, label, share, counts);
      drawn = true;
      last = now;
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
