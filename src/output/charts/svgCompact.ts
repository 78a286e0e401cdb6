/**
 * A chart's SVG as its file keeps it: vega's drawing written shorter, drawn the same.
 *
 * vega writes every segment of a line as an absolute `L x,y`: a step line of a day's
 * minutes is thousands of `L1,137.917L1,137.601`. The file keeps the same drawing with
 *
 * - path data written shorter, nothing moved: every number keeps its value (`0.5` is
 *   written `.5`), absolute coordinates stay absolute and relative ones relative, and a line
 *   segment that keeps one coordinate of the point before it is written `H x` or `V y`
 *   (`h dx`, `v dy` for a relative one): `L1,137.917L1,137.601` becomes `H1V137.601`. A
 *   renderer then reads the very numbers it read before, and adds nothing it did not add;
 * - `opacity="1"` dropped: it is the initial value, and opacity is not inherited;
 * - the empty foreground vega gives every group (`<path class="foreground" d=""
 *   display="none"/>`) dropped: it draws nothing;
 * - the font named once: when every text names a font-family and a font-size, the root
 *   element names the most common of each and the texts that have it inherit it.
 *
 * Elements that draw, their order, text, colours, classes and accessibility attributes stay
 * as vega wrote them; rasterised (by resvg, and by Chromium), the file gives the same
 * pixels as vega's SVG. Only the files change: the notebook's charts
 * (src/notebook/display.ts) and the PNGs are drawn from vega's SVG as it is.
 */

/** Numbers each path command takes, by its upper-case letter. */
const ARITY: Readonly<Record<string, number>> = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Q: 4, T: 2, A: 7, Z: 0 };

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const TOKEN = /[MLHVCSQTAZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[\s,]+|./gi;

/** The same number written shorter: no `+`, no leading or trailing zeros (`0.50` → `.5`, `-0.5` → `-.5`, `2.` → `2`). */
function shortest(tok: string): string {
  if (/e/i.test(tok)) return tok.replace(/^\+/, '');
  let s = tok.replace(/^\+/, '');
  const sign = s.startsWith('-') ? '-' : '';
  s = s.replace(/^-/, '');
  let [int = '', frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const body = (int === '0' ? '' : int) + (frac === '' ? '' : `.${frac}`);
  return body === '' ? '0' : `${sign}${body}`;
}

/** A coordinate of the current point as the renderer holds it, or null when it came from a sum (a relative move): this does not redo the renderer's arithmetic. */
type Known = number | null;

/** A coordinate after a relative move by `delta`: still known when nothing was added, or when it was added to zero (both exact). */
function moved(from: Known, delta: number): Known {
  if (delta === 0) return from;
  return from === 0 ? delta : null;
}

/**
 * Path data rewritten: the same numbers, absolute and relative as they were, written
 * shorter, line segments that keep a coordinate as `H`, `V`, `h` or `v`. Returns the data
 * unchanged when it holds anything this does not read (an unknown command, a stray
 * character, a missing number, an arc's flag written without a separator).
 */
export function compactPath(d: string): string {
  const tokens: string[] = [];
  for (const m of d.matchAll(TOKEN)) {
    const tok = m[0];
    if (/^[\s,]+$/.test(tok)) continue;
    if (!/^[MLHVCSQTAZ]$/i.test(tok) && !NUMBER.test(tok)) return d;
    tokens.push(tok);
  }
  const isCommand = (tok: string | undefined): boolean => tok !== undefined && /^[a-z]$/i.test(tok);

  let out = '';
  /** Appends a command and its numbers, separated only where the grammar needs it. */
  const emit = (cmd: string, nums: readonly string[]): void => {
    out += cmd;
    nums.forEach((n, k) => (out += k === 0 || n.startsWith('-') ? n : `,${n}`));
  };
  // The current point and the subpath's start, each coordinate known or not.
  let x: Known = 0;
  let y: Known = 0;
  let startX: Known = 0;
  let startY: Known = 0;
  let i = 0;
  while (i < tokens.length) {
    const cmd = tokens[i++]!;
    if (!isCommand(cmd)) return d;
    const upper = cmd.toUpperCase();
    const rel = cmd !== upper;
    const arity = ARITY[upper]!;
    if (arity === 0) {
      emit(cmd, []);
      x = startX;
      y = startY;
      continue;
    }
    let first = true;
    // A command's numbers may repeat: each group is another segment of the same kind (after M, of L).
    while (first || (i < tokens.length && !isCommand(tokens[i]))) {
      const args = tokens.slice(i, i + arity);
      if (args.length < arity || args.some(isCommand)) return d;
      i += arity;
      const kind = upper === 'M' && !first ? 'L' : upper;
      const letter = upper === 'M' && !first ? (rel ? 'l' : 'L') : cmd;
      first = false;
      const text = args.map(shortest);
      const n = args.map(Number);
      if (kind === 'A' && (!/^[01]$/.test(args[3]!) || !/^[01]$/.test(args[4]!))) return d;
      if (kind === 'L' && !rel && y !== null && n[1] === y) emit('H', [text[0]!]);
      else if (kind === 'L' && !rel && x !== null && n[0] === x) emit('V', [text[1]!]);
      else if (kind === 'L' && rel && n[1] === 0) emit('h', [text[0]!]);
      else if (kind === 'L' && rel && n[0] === 0) emit('v', [text[1]!]);
      else emit(letter, text);
      // Where the segment ends: its last pair (H and V: the one coordinate they name).
      if (kind === 'M') {
        x = startX = rel ? moved(x, n[0]!) : n[0]!;
        y = startY = rel ? moved(y, n[1]!) : n[1]!;
      } else if (kind === 'H') x = rel ? moved(x, n[0]!) : n[0]!;
      else if (kind === 'V') y = rel ? moved(y, n[0]!) : n[0]!;
      else {
        x = rel ? moved(x, n[arity - 2]!) : n[arity - 2]!;
        y = rel ? moved(y, n[arity - 1]!) : n[arity - 1]!;
      }
    }
  }
  return out;
}

/** The empty, hidden foreground of a group: nothing to draw. */
const EMPTY_FOREGROUND = /<path class="foreground" aria-hidden="true" d=""(?: pointer-events="none")? display="none"\/>/g;

/** The SVG written shorter as above; anything this does not recognise is left as it is. */
export function compactSvg(svg: string): string {
  let out = svg.replace(/(<path\b[^>]*?\sd=")([^"]*)(")/g, (_, open: string, d: string, close: string) => open + compactPath(d) + close);
  out = out.replace(/(<[a-z]+\b[^>]*?) opacity="1"(?=[\s/>])/g, '$1');
  out = out.replace(EMPTY_FOREGROUND, '');
  return hoist(hoist(out, 'font-family'), 'font-size');
}

/**
 * A text attribute named once on the root: when every text names `attr` and nothing else
 * does, the root names its most common value and the texts with that value inherit it
 * (font-family and font-size are inherited); the others keep theirs.
 */
function hoist(svg: string, attr: string): string {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0];
  if (root === undefined || root.includes(` ${attr}=`)) return svg;
  const pattern = new RegExp(`\\s${attr}="([^"]*)"`);
  const values = [...svg.matchAll(/<text\b[^>]*>/g)].map((m) => pattern.exec(m[0])?.[1]);
  if (values.length === 0 || values.some((v) => v === undefined)) return svg;
  if (svg.split(` ${attr}=`).length - 1 !== values.length) return svg;
  const counts = new Map<string, number>();
  for (const v of values as string[]) counts.set(v, (counts.get(v) ?? 0) + 1);
  // The most common value; of values as common, the first met.
  const value = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const named = ` ${attr}="${value}"`;
  const body = svg.slice(root.length).replace(/<text\b[^>]*>/g, (tag) => tag.replace(named, ''));
  return root.replace(/^<svg\b/, `<svg${named}`) + body;
}
