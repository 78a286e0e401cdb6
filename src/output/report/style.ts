/**
 * Colour and emphasis for the text dynosim prints, on Node's `util.styleText`.
 *
 * Text is styled only when it goes to a terminal, and never when NO_COLOR is set:
 * - NO_COLOR (any value, as Node reads it) turns styling off, even with FORCE_COLOR;
 * - a stream that is not a terminal (a pipe, a file, a test) always gets plain text, so
 *   what lands in a file is the same bytes whatever the environment (FORCE_COLOR does not
 *   colour a pipe here);
 * - on a terminal the stream's colour depth decides the rest, as Node reads it:
 *   FORCE_COLOR=0, NODE_DISABLE_COLORS or TERM=dumb turn it off, FORCE_COLOR=1..3 turns it
 *   on. This is the rule of `styleText`'s `validateStream` (Node 22.13 and later), applied
 *   here so that Node 20, whose `styleText` has no such option, decides the same.
 *
 * The rule is `colourRule`; the command line applies it to its own streams and environment
 * (interfaces/cli/terminal.ts) and hands the texts a `Styler`. Every text is plain unless
 * given one that styles.
 *
 * Styling never changes what a text reads as: strip the escape codes and the words and
 * spaces are the same. Pad before styling, or measure with `visibleWidth`.
 */
import { WriteStream } from 'node:tty';
import { stripVTControlCharacters, styleText } from 'node:util';

/** The few styles dynosim uses. */
export type Tone = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
export type StyleFormat = Tone | readonly Tone[];

/** A stream text is written to (the command's stdout or stderr, or a test's fake). */
export type OutStream = NodeJS.WritableStream & { readonly isTTY?: boolean };

/** The environment variables the rule reads (NO_COLOR, FORCE_COLOR, and what the stream's colour depth reads). */
export type ColourEnv = Readonly<Record<string, string | undefined>>;

/** The rule above: whether text written to `stream` gets colour and emphasis, in the environment `env`. */
export function colourRule(stream: OutStream, env: ColourEnv): boolean {
  if (env['NO_COLOR'] !== undefined) return false;
  if (stream.isTTY !== true) return false;
  // With FORCE_COLOR set, the environment's colour depth decides; otherwise the stream's
  // (which folds in NODE_DISABLE_COLORS and TERM), and a stream without one is taken as able.
  if (env['FORCE_COLOR'] !== undefined) return WriteStream.prototype.getColorDepth.call(stream, env as NodeJS.ProcessEnv) > 2;
  const depth = (stream as { getColorDepth?: (env: ColourEnv) => number }).getColorDepth;
  return typeof depth === 'function' ? depth.call(stream, env) > 2 : true;
}

/** `text` in `format`, unconditionally: whether it is styled at all was decided before. */
function styled(format: StyleFormat, text: string): string {
  if (text === '') return '';
  return styleText(typeof format === 'string' ? format : [...format], text, { validateStream: false });
}

/** Styling decided once: `st.bold('x')`, `st('red', 'x')`; `st.on` says whether it styles at all. */
export interface Styler {
  (format: StyleFormat | undefined, text: string): string;
  readonly on: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
}

/** Styling that is on (colour and emphasis) or off (the text as it is). */
export function styling(on: boolean): Styler {
  const st = (format: StyleFormat | undefined, text: string): string => (on && format !== undefined ? styled(format, text) : text);
  return Object.assign(st, {
    on,
    bold: (t: string) => st('bold', t),
    dim: (t: string) => st('dim', t),
    red: (t: string) => st('red', t),
    green: (t: string) => st('green', t),
    yellow: (t: string) => st('yellow', t),
  });
}

/** No styling: what every text is unless its caller decided otherwise (files, notebooks, pipes). */
export const PLAIN: Styler = styling(false);

/** Columns `text` takes on a terminal: its length without escape codes. */
export function visibleWidth(text: string): number {
  return stripVTControlCharacters(text).length;
}

/** Pads (possibly styled) text to `width` visible columns, on the right (left-aligned) or the left. */
export function padVisible(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** A problem line for stderr: its leading "dynosim:", "error:" or "file:" in bold red when `st` styles. */
export function problemLine(line: string, st: Styler = PLAIN): string {
  const m = /^[^\s:][^:]*:(?=\s|$)/.exec(line);
  return m === null ? line : st(['bold', 'red'], m[0]) + line.slice(m[0].length);
}
