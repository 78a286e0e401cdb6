/**
 * The command's terminal: its stdout and stderr, what its environment says of colour, its
 * clock and its timers. Only the command line reads them; the library, the studies and
 * the texts below it are handed a Styler, a stream, a clock.
 */
import { colourRule, problemLine as problemLineIn, styling, type OutStream, type StyleFormat, type Styler } from '../../output/report/style.ts';
import { wantProgress, type Clock, type Every, type ProgressBarOptions } from '../../studies/parallel/progress.ts';

/** Whether text written to `stream` gets colour and emphasis: output/report/style.ts's rule, in this process's environment. */
export function colorOn(stream: OutStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return colourRule(stream, env);
}

/** Styling for text written to `stream`, decided once. */
export function styler(stream: OutStream = process.stdout): Styler {
  return styling(colorOn(stream));
}

/** Styles `text` for `stream`, or returns it as it is when that stream gets plain text. */
export function paint(format: StyleFormat, text: string, stream: OutStream = process.stdout): string {
  return styler(stream)(format, text);
}

/** A problem line for stderr: its leading "dynosim:", "error:" or "file:" in bold red on a terminal. */
export function problemLine(line: string, stream: OutStream = process.stderr): string {
  return problemLineIn(line, styler(stream));
}

/** The wall clock, in ms. Read at each call, not bound once, so that whatever performance.now is then is what it reads. */
export const clock: Clock = () => performance.now();

/** A `setInterval` that does not keep the process alive. */
const every: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** Where the command's progress bars draw (stderr), and the clock and timer they read. */
export const BAR: ProgressBarOptions = { stream: process.stderr, now: clock, every };

/** Whether to draw a bar: `--progress` / `--no-progress` when given, else only when stderr is a terminal. */
export function wantBar(option: boolean | undefined): boolean {
  return wantProgress(option, process.stderr);
}
