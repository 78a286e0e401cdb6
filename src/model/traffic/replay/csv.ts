/**
 * Requests to replay from a CSV file, one row per request: a header row naming the
 * columns `timestamp` (when the request arrived: an ISO 8601 instant, or seconds from the
 * start as a number), `path` (`/orders/7`, or with its method: `POST /checkout`) and
 * `service_ms` (what the dyno took, ms, fractions allowed; empty when no dyno answered),
 * and optionally `method`. Other columns are ignored; names are matched without regard
 * to case or surrounding spaces. Fields follow RFC 4180 (commas, double quotes, `""` for a
 * quote inside quotes); a quoted field cannot span lines.
 */
import { LogParseError, quoteForError } from '../../logs/LogParseError.ts';
import { parseLogTime } from '../../logs/timestamp.ts';

/** Where the columns dynosim reads are in a row; `method` is −1 when there is none. */
export interface CsvColumns {
  readonly timestamp: number;
  readonly path: number;
  readonly serviceMs: number;
  readonly method: number;
  /** Fields a row needs to reach the rightmost of them. */
  readonly needed: number;
}

/** One row read (reused from row to row). */
export interface CsvRequest {
  /** The `timestamp` in µs: epoch µs for an instant, µs from the start for a number. */
  arrivalUs: number;
  /** Whether the timestamp was a number of seconds rather than an instant. */
  offset: boolean;
  /** µs; −1 when the cell is empty (no dyno answered). */
  serviceUs: number;
  method: string;
  path: string;
}

const QUOTE = 34;
const COMMA = 44;

/**
 * Splits one CSV line into `out` (reused; only the first `n` entries are meaningful) and
 * returns the number of fields `n`. Spaces around a quoted field are dropped.
 * @throws LogParseError for a quoted field that is not closed, or text after its closing quote.
 */
export function splitCsvLine(line: string, out: string[]): number {
  const n = line.length;
  let count = 0;
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && line.charCodeAt(j) === 32) j++;
    if (j < n && line.charCodeAt(j) === QUOTE) {
      let value = '';
      let from = j + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) throw new LogParseError('a quoted field is not closed (a field cannot span lines)');
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += line.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += line.slice(from, q);
        j = q + 1;
        break;
      }
      while (j < n && line.charCodeAt(j) === 32) j++;
      if (j < n && line.charCodeAt(j) !== COMMA) {
        throw new LogParseError(`text after a closing quote at column ${j + 1}: ${quoteForError(line.slice(j))}`);
      }
      out[count++] = value;
    } else {
      const c = line.indexOf(',', i);
      j = c < 0 ? n : c;
      out[count++] = line.slice(i, j);
    }
    if (j >= n) return count;
    i = j + 1;
  }
}

/** The column names of a header line, trimmed and lower-cased; null when the line is not CSV. */
export function csvHeader(line: string): string[] | null {
  const cells: string[] = [];
  let n: number;
  try {
    n = splitCsvLine(line, cells);
  } catch (e) {
    if (e instanceof LogParseError) return null;
    throw e;
  }
  return cells.slice(0, n).map((c) => c.trim().toLowerCase());
}

/** Whether a file's first line is a CSV header with a `timestamp` column. */
export function isCsvHeader(line: string): boolean {
  return csvHeader(line)?.includes('timestamp') ?? false;
}

/** The columns dynosim reads, from the header's names; a one-line problem when one is missing. */
export function csvColumns(names: readonly string[]): CsvColumns | string {
  const timestamp = names.indexOf('timestamp');
  const path = names.indexOf('path');
  const serviceMs = names.indexOf('service_ms');
  const method = names.indexOf('method');
  const missing = [timestamp < 0 ? 'timestamp' : '', path < 0 ? 'path' : '', serviceMs < 0 ? 'service_ms' : ''].filter(
    (c) => c !== '',
  );
  if (missing.length > 0) {
    const s = missing.length > 1 ? 's' : '';
    return `the CSV header has no ${missing.join(', ')} column${s} (it has ${names.join(', ')}); dynosim reads timestamp, path, service_ms and optionally method`;
  }
  return { timestamp, path, serviceMs, method, needed: Math.max(timestamp, path, serviceMs, method) + 1 };
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const METHOD_RE = /^([A-Za-z]+) +(\S.*)$/;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i;

/**
 * An ISO 8601 instant as epoch µs: `2025-06-03T14:00:01.25Z`, `…+02:00`, `…+0200`, a space
 * for the `T`; digits past the microsecond are dropped. An instant without an offset is
 * taken as UTC.
 * @throws LogParseError naming what is wrong.
 */
export function parseInstantUs(text: string): number {
  const m = INSTANT_RE.exec(text);
  if (m === null) {
    throw new LogParseError(
      `timestamp ${quoteForError(text)} is neither an ISO 8601 instant (2025-06-03T14:00:01.25Z) nor a number of seconds`,
    );
  }
  const fraction = m[3] === undefined ? '' : `.${m[3].slice(0, 6)}`;
  let zone = m[4] ?? 'Z';
  if (zone === 'z') zone = 'Z';
  else if (zone !== 'Z') zone = zone.length === 3 ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  return parseLogTime(`${m[1]}T${m[2]}${fraction}${zone}`);
}

/**
 * Reads the row split into `fields` (`count` of them) into `out`.
 * @throws LogParseError saying why the row cannot be used.
 */
export function readCsvRow(fields: readonly string[], count: number, cols: CsvColumns, out: CsvRequest): void {
  if (count < cols.needed) throw new LogParseError(`row has ${count} field${count === 1 ? '' : 's'}, the columns read need ${cols.needed}`);
  const stamp = fields[cols.timestamp]!.trim();
  if (NUMBER_RE.test(stamp)) {
    out.arrivalUs = Math.round(Number(stamp) * 1e6);
    out.offset = true;
  } else {
    out.arrivalUs = parseInstantUs(stamp);
    out.offset = false;
  }
  const service = fields[cols.serviceMs]!.trim();
  if (service === '') {
    out.serviceUs = -1;
  } else {
    if (!NUMBER_RE.test(service)) throw new LogParseError(`service_ms expects a number of ms, got ${quoteForError(service)}`);
    const ms = Number(service);
    if (ms < 0) throw new LogParseError(`service_ms is negative (${service})`);
    out.serviceUs = Math.round(ms * 1000);
  }
  let path = fields[cols.path]!.trim();
  let method = cols.method < 0 ? '' : fields[cols.method]!.trim();
  const withMethod = METHOD_RE.exec(path);
  if (withMethod !== null) {
    method = withMethod[1]!;
    path = withMethod[2]!;
  }
  if (path === '') throw new LogParseError('path is empty');
  const origin = URL_RE.exec(path);
  if (origin !== null) path = path.slice(origin[0].length) || '/';
  out.method = method === '' ? 'GET' : method;
  out.path = path;
}
