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
    const columns = stream.columns ?? 80;
    const room = Math.max(0, Math.min(30, columns - label.length - counts.length - 8));
    const filled = Math.round(share * room);
    const bar = room >= 5 ? `[${'█'.repeat(filled)}${'░'.repeat(room - filled)}]  ` : '';
    stream.write(`\r\x1b[2K${label}  ${bar}${counts}`);
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

/** Seconds as m:ss, or h:mm:ss from an hour. */
function clock(s: number): string {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
