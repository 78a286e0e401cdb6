/**
 * The check of a replay file before a run, and its time zero: probeReplay reads the start
 * of the file (its first PROBE_REQUESTS requests at most) to say that it can be read, has
 * a usable line, and when its first request in place arrived.
 */
import { BLANK, END, MALFORMED, REQUEST, ReplayLines } from './ReplayLines.ts';

/** Lines probeReplay reads past without finding a request before it gives up. */
const PROBE_MALFORMED_LIMIT = 1000;
/** Requests probeReplay reads to find the first one in place. */
export const PROBE_REQUESTS = 1000;
/** Non-empty lines probeReplay reads at most once it has found a request. */
const PROBE_LINES = 20_000;
/** The reorder window of a scenario that gives none (traffic.replay.reorderWindow's default). */
export const DEFAULT_REORDER_WINDOW_US = 90_000_000;

/**
 * Reads the start of the file to check it: that it exists and has a usable line. Returns
 * the format and the arrival of the first request in place (epoch ms rounded down; ms
 * from the file's zero for a CSV whose timestamps are numbers of seconds; see
 * {@link firstInPlace}), or a one-line message saying what is wrong. It reads the first
 * PROBE_REQUESTS requests (or 20 000 lines), and gives up after 1000 malformed lines
 * without a request.
 */
export function probeReplay(
  path: string,
  format: 'auto' | 'router' | 'csv',
  reorderWindowUs = DEFAULT_REORDER_WINDOW_US,
): { format: 'router' | 'csv'; firstArrivalMs: number } | string {
  let src: ReplayLines;
  try {
    src = new ReplayLines(path, format);
  } catch (e) {
    return (e as Error).message;
  }
  try {
    const arrivals = new Float64Array(PROBE_REQUESTS);
    let requests = 0;
    let lines = 0;
    let malformed = 0;
    let first = '';
    while (requests < PROBE_REQUESTS && !(requests > 0 && lines >= PROBE_LINES)) {
      const kind = src.next();
      if (kind === END) break;
      if (kind === BLANK) continue;
      lines++;
      if (kind === REQUEST) arrivals[requests++] = src.arrivalUs;
      else if (kind === MALFORMED && malformed++ === 0) first = `line ${src.lineNumber}: ${src.reason}`;
      if (requests === 0 && malformed === PROBE_MALFORMED_LIMIT) {
        return `${path}: no usable line in the first ${src.lineNumber} lines (${malformed} malformed; first at ${first})`;
      }
    }
    if (requests > 0) return { format: src.format, firstArrivalMs: Math.floor(arrivals[firstInPlace(arrivals.subarray(0, requests), reorderWindowUs)]! / 1000) };
    if (malformed > 0) return `${path}: no usable line (${malformed} malformed; first at ${first})`;
    if (lines === 0) return `${path}: no usable line (the file is empty)`;
    const what = src.format === 'csv' ? 'rows after the header' : 'router request lines';
    return `${path}: no usable line (${lines} line${lines === 1 ? '' : 's'}, no ${what})`;
  } catch (e) {
    return (e as Error).message;
  } finally {
    src.close();
  }
}

/**
 * Which of the first requests (arrivals in file order) time zero is taken from: the first
 * one, unless it is out of place. Requests fall into stretches of time, arrivals with no
 * gap of more than the reorder window between them. A stretch is out of place when more
 * of the other requests contradict it than it holds, a request contradicting it when it
 * arrives after the stretch but comes in the file before one of the stretch's, or arrives
 * before it but comes after one of them: the first lines hours out of place, logs joined
 * in the wrong order. Then the next stretch in file order is weighed the same way, among
 * the requests not yet passed over.
 * @returns an index into `arrivals`.
 */
export function firstInPlace(arrivals: Float64Array, windowUs: number): number {
  const n = arrivals.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => arrivals[a]! - arrivals[b]! || a - b);
  // Stretch of each request, and each stretch's bounds in time and in the file.
  const stretchOf = new Int32Array(n);
  const lo: number[] = [];
  const hi: number[] = [];
  const firstLine: number[] = [];
  const lastLine: number[] = [];
  const size: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const a = arrivals[i]!;
    if (k === 0 || a - hi[hi.length - 1]! > windowUs) {
      lo.push(a);
      hi.push(a);
      firstLine.push(i);
      lastLine.push(i);
      size.push(0);
    }
    const s = lo.length - 1;
    stretchOf[i] = s;
    hi[s] = a;
    if (i < firstLine[s]!) firstLine[s] = i;
    if (i > lastLine[s]!) lastLine[s] = i;
    size[s]!++;
  }
  const passed = new Uint8Array(lo.length);
  for (let candidate = 0; candidate < n; ) {
    const s = stretchOf[candidate]!;
    let against = 0;
    for (let j = 0; j < n; j++) {
      const t = stretchOf[j]!;
      if (t === s || passed[t] === 1) continue;
      const a = arrivals[j]!;
      if ((a > hi[s]! && j < lastLine[s]!) || (a < lo[s]! && j > firstLine[s]!)) against++;
    }
    if (against <= size[s]!) return candidate;
    passed[s] = 1;
    while (candidate < n && passed[stretchOf[candidate]!] === 1) candidate++;
  }
  return 0;
}
