/**
 * The Heroku CLI's formation strings, as engineers type them: `heroku ps:scale
 * web=4:standard-2x worker=2` (each process type with a count and, after a colon, a size)
 * and `heroku ps:resize web=performance-m` (each with a size). `scale` and `resize` events
 * take them as their mapping; `--formation` takes the first (../formationSpec.ts).
 */
const SCALE_ENTRY = /^([A-Za-z][A-Za-z0-9_-]*)=(\d+)(?::([A-Za-z0-9][A-Za-z0-9-]*))?$/;
const RESIZE_ENTRY = /^([A-Za-z][A-Za-z0-9_-]*)=([A-Za-z0-9][A-Za-z0-9-]*)$/;

/** One entry of `ps:scale`: a type, its count and maybe its size. */
export interface ScaleEntry {
  readonly type: string;
  readonly count: number;
  readonly size?: string;
}

/** The entries of a `ps:scale` string, or what is wrong with it (one line, to be prefixed with the option or field). */
export function parseScale(spec: string): ScaleEntry[] | string {
  return parseEntries(spec, SCALE_ENTRY, ['type=count[:size] such as web=4:standard-2x', "type=count[:size] entries such as 'web=4:standard-2x worker=2'"], (m) => ({ type: m[1]!, count: Number(m[2]), ...(m[3] === undefined ? {} : { size: m[3] }) }));
}

/** The entries of a `ps:resize` string (type and size), or what is wrong with it. */
export function parseResize(spec: string): { type: string; size: string }[] | string {
  return parseEntries(spec, RESIZE_ENTRY, ['type=size such as web=performance-m', "type=size entries such as 'web=performance-m worker=standard-2x'"], (m) => ({ type: m[1]!, size: m[2]! }));
}

/** `forms`: one entry's form, then the whole string's, for the messages. */
function parseEntries<T extends { type: string }>(spec: string, entry: RegExp, forms: [string, string], make: (m: RegExpExecArray) => T): T[] | string {
  const [form, whole] = forms;
  const words = spec.split(/[\s,]+/).filter((e) => e !== '');
  if (words.length === 0) return `expected ${whole}, got ${JSON.stringify(spec)}`;
  const out: T[] = [];
  for (const word of words) {
    const m = entry.exec(word);
    if (m === null) return `expected ${form}, got ${JSON.stringify(word)}`;
    const e = make(m);
    if (out.some((o) => o.type === e.type)) return `${e.type} is given twice`;
    out.push(e);
  }
  return out;
}
