/**
 * The progress bars, drawn on a fake terminal with a fake clock and timer: each frame's
 * text is exact, and so is when it is drawn, however fast or loaded the machine is.
 */
import test from 'ava';
import { progressBar, runProgress, wantProgress, type Every, type ProgressStream } from '../src/studies/parallel/progress.ts';

const CLEAR = '\r\x1b[2K';
const MINUTE_US = 60e6;
const HOUR_US = 60 * MINUTE_US;
const DAY_US = 24 * HOUR_US;

/** A terminal `columns` wide (unset: what a pipe reports); `frames()` are the lines drawn, `writes` everything written. */
function terminal(columns?: number): { stream: ProgressStream; writes: string[]; frames: () => string[] } {
  const writes: string[] = [];
  const stream = { write: (s: string) => (writes.push(s), true), columns } as unknown as ProgressStream;
  return { stream, writes, frames: () => writes.filter((w) => w !== CLEAR).map((w) => (w.startsWith(CLEAR) ? w.slice(CLEAR.length) : `not a frame: ${w}`)) };
}

/** A clock that moves only when told: `at(ms)` sets it. */
function fakeClock(): { now: () => number; at: (ms: number) => void } {
  let ms = 0;
  return { now: () => ms, at: (to) => void (ms = to) };
}

/** A timer that fires when told: `fire()` runs its tick, as the real one would each `ms`. */
function fakeTimer(): { every: Every; fire: () => void; ms: () => number | null; stopped: () => boolean } {
  let tick: (() => void) | null = null;
  let ms: number | null = null;
  let stopped = false;
  const every: Every = (each, fn) => {
    ms = each;
    tick = fn;
    return () => void (stopped = true);
  };
  return { every, fire: () => tick?.(), ms: () => ms, stopped: () => stopped };
}

test('the progress bar: counts, elapsed time and ETA, redrawn each second by its timer and at the last task, cleared at the end', (t) => {
  const term = terminal(100);
  const clock = fakeClock();
  const timer = fakeTimer();
  const bar = progressBar('sweep', 40, { stream: term.stream, now: clock.now, every: timer.every });
  t.is(timer.ms(), 1000);
  timer.fire(); // nothing drawn yet: the timer has nothing to redraw
  t.deepEqual(term.writes, []);
  bar.update(0);
  clock.at(50);
  bar.update(1); // 50 ms after the last frame: not drawn
  clock.at(2000);
  bar.update(10);
  clock.at(3000);
  timer.fire(); // no task ended, the clock moved on
  clock.at(3050);
  bar.update(40); // the last one: drawn, however soon after the frame before
  t.deepEqual(term.frames(), [
    'sweep  [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░]  0/40  0%  0:00 elapsed',
    'sweep  [████████░░░░░░░░░░░░░░░░░░░░░░]  10/40  25%  0:02 elapsed · ETA 0:06',
    'sweep  [████████░░░░░░░░░░░░░░░░░░░░░░]  10/40  25%  0:03 elapsed · ETA 0:09',
    'sweep  [██████████████████████████████]  40/40  100%  0:03 elapsed',
  ]);
  t.false(timer.stopped());
  bar.end();
  t.true(timer.stopped());
  t.is(term.writes.at(-1), CLEAR);
  const count = term.writes.length;
  bar.update(40);
  bar.end();
  t.is(term.writes.length, count, 'nothing after the end');
});

test('the progress bar redraws at most ten times a second', (t) => {
  const term = terminal(100);
  const clock = fakeClock();
  const bar = progressBar('sweep', 200, { stream: term.stream, now: clock.now, every: fakeTimer().every });
  // A task done every 10 ms for a second: a frame every 100 ms, 11 in all.
  for (let i = 0; i <= 100; i++) {
    clock.at(i * 10);
    bar.update(i);
  }
  t.deepEqual(
    term.frames().map((f) => /\] {2}(\d+)\/200 /.exec(f)?.[1]),
    ['0', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100'],
  );
  t.is(term.frames().at(-1), 'sweep  [███████████████░░░░░░░░░░░░░░░]  100/200  50%  0:01 elapsed · ETA 0:01');
});

test('the progress bar fits the terminal: 80 columns when it says nothing, no bar when too narrow, nothing drawn, nothing cleared', (t) => {
  for (const [columns, frame] of [
    [undefined, 'sweep  [███████████████░░░░░░░░░░░░░░░]  20/40  50%  0:01 elapsed · ETA 0:01'],
    [30, 'sweep  20/40  50%  0:01 elapsed · ETA 0:01'],
  ] as const) {
    const term = terminal(columns);
    const clock = fakeClock();
    const bar = progressBar('sweep', 40, { stream: term.stream, now: clock.now, every: fakeTimer().every });
    clock.at(1000);
    bar.update(20);
    bar.end();
    t.deepEqual(term.writes, [CLEAR + frame, CLEAR], `${columns} columns`);
  }
  const idle = terminal(100);
  progressBar('sweep', 40, { stream: idle.stream, now: fakeClock().now, every: fakeTimer().every }).end();
  t.deepEqual(idle.writes, [], 'a bar never drawn leaves nothing to clear');
});

test('the run bar: nothing for the first second, then simulated time done of the whole, requests/s and time left, at most every 100 ms', (t) => {
  const term = terminal();
  const clock = fakeClock();
  const bar = runProgress('two-web-dynos', { stream: term.stream, now: clock.now });
  const month = 30 * DAY_US;
  clock.at(999);
  bar.update(10 * HOUR_US, month, 7e6); // under a second in: not drawn
  t.deepEqual(term.writes, []);
  clock.at(1000);
  bar.update(14 * HOUR_US + 21 * MINUTE_US, month, 8.1e6);
  clock.at(1050);
  bar.update(15 * HOUR_US, month, 8.5e6); // 50 ms after the frame before: not drawn
  clock.at(4000);
  bar.update(3 * DAY_US, month, 30e6);
  clock.at(4100);
  bar.update(11 * DAY_US + 4 * HOUR_US + 59 * MINUTE_US, month, 81e6);
  clock.at(9000);
  bar.update(month + 5 * MINUTE_US, month, 200e6); // the last answers, past the end
  bar.end();
  t.deepEqual(term.frames(), [
    'two-web-dynos  [░░░░░░░░░░░░]  14h 21m of 30d  1%  8.1 M requests/s · ETA 0:49',
    'two-web-dynos  [██░░░░░░░░░░░░░░]  3d of 30d  10%  7.5 M requests/s · ETA 0:36',
    'two-web-dynos  [████░░░░░░░]  11d 4h of 30d  37%  19.8 M requests/s · ETA 0:07',
    'two-web-dynos  [████████████████████████]  30d of 30d  100%  22.2 M requests/s',
  ]);
  t.is(term.writes.at(-1), CLEAR);
  const count = term.writes.length;
  bar.update(month, month, 200e6);
  bar.end();
  t.is(term.writes.length, count, 'nothing after the end');
});

test('the run bar: a run done within its first second prints nothing; afterMs moves that threshold', (t) => {
  const quick = terminal();
  const clock = fakeClock();
  const bar = runProgress('two-web-dynos', { stream: quick.stream, now: clock.now });
  // A simulated hour in 900 ms.
  for (let ms = 0; ms <= 900; ms += 15) {
    clock.at(ms);
    bar.update((ms / 900) * HOUR_US, HOUR_US, ms * 1000);
  }
  bar.end();
  t.deepEqual(quick.writes, []);

  const term = terminal();
  const soon = fakeClock();
  const early = runProgress('short', { stream: term.stream, now: soon.now, afterMs: 0 });
  soon.at(250);
  early.update(42 * MINUTE_US, HOUR_US, 1000);
  early.end();
  t.deepEqual(term.writes, [`${CLEAR}short  [█████████████████░░░░░░░]  42m of 1h  70%  0.0 M requests/s · ETA 0:00`, CLEAR]);
});

test('a bar is wanted when asked for, else only on a terminal', (t) => {
  const tty = { isTTY: true } as unknown as ProgressStream;
  const pipe = {} as unknown as ProgressStream;
  t.true(wantProgress(undefined, tty));
  t.false(wantProgress(undefined, pipe));
  t.true(wantProgress(true, pipe));
  t.false(wantProgress(false, tty));
});
