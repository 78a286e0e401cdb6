/**
 * The lines of a replay file one by one, each found to be a request to replay, another
 * kind of line (an app's output, a dyno manager line, a CSV header), or malformed, with
 * the reason. Opens the file, tells a router log from a CSV by its first non-empty line,
 * and reads router lines through the fast scanner first and the full parser when the
 * scanner gives up. Shared by ReplayReader and probeReplay.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { FileLimitError } from '../../../engine/files.ts';
import { InputError } from '../../../engine/InputError.ts';
import { LogParseError } from '../../logs/LogParseError.ts';
import { parseLogLine } from '../../logs/parse.ts';
import { csvColumns, csvHeader, isCsvHeader, readCsvRow, splitCsvLine, type CsvColumns, type CsvRequest } from './csv.ts';
import { LineReader } from './lines.ts';
import { recordFromLogLine, routeKey } from './record.ts';
import { RouterLineScanner, type ScannedRouterLine } from './RouterLineScanner.ts';

export type ReplayFormat = 'router' | 'csv';

/** What {@link ReplayLines.next} found. */
export const END = 0;
export const REQUEST = 1;
export const OTHER = 2;
export const MALFORMED = 3;
export const BLANK = 4;
export type LineKind = typeof END | typeof REQUEST | typeof OTHER | typeof MALFORMED | typeof BLANK;

/** Opens `path` for reading. @throws Error with a one-line message naming the file. */
function openFile(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot be opened (${code ?? String(e)})`;
    throw new Error(`${path}: ${why}`);
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    throw new Error(`${path}: is a directory, not a log file`);
  }
  return fd;
}

export class ReplayLines {
  readonly path: string;
  readonly format: ReplayFormat;
  /** 1-based number of the line last read. */
  lineNumber = 0;
  /** For a REQUEST: when it arrived, µs (epoch µs, or µs from the start: see {@link offsets}). */
  arrivalUs = 0;
  /** For a REQUEST: the dyno's service time, µs; −1 when the line does not say (no dyno answered). */
  serviceUs = 0;
  /** For a REQUEST: its route, `GET /orders/:id`. */
  route = '';
  /**
   * Whether times are µs from the start (a CSV whose timestamps are numbers of seconds)
   * rather than epoch µs; null until the first request. The first request decides for the
   * whole file: a later row of the other kind is malformed.
   */
  offsets: boolean | null = null;
  /** For a MALFORMED line: why, in one line. */
  reason = '';

  private fd: number;
  private readonly lines: LineReader;
  private readonly scanner = new RouterLineScanner();
  private readonly scanned: ScannedRouterLine = { arrivalUs: 0, serviceUs: 0, method: '', path: '' };
  private readonly columns: CsvColumns | null = null;
  private readonly headerLine: number = 0;
  private readonly fields: string[] = [];
  private readonly row: CsvRequest = { arrivalUs: 0, offset: false, serviceUs: 0, method: '', path: '' };

  /**
   * @param format `auto` reads a CSV when the first non-empty line is a header with a
   * `timestamp` column, and a router log otherwise.
   * @param readBufferBytes bytes read at a time (tests use tiny ones).
   * @throws Error with a one-line message when the file cannot be opened, or is a CSV
   * whose header lacks a column dynosim needs; InputError naming the file when a line is
   * longer than MAX_LINE_BYTES.
   */
  constructor(path: string, format: 'auto' | ReplayFormat, readBufferBytes?: number) {
    this.path = path;
    this.fd = openFile(path);
    const options = readBufferBytes === undefined ? {} : { chunkBytes: readBufferBytes };
    try {
      const peek = new LineReader(this.fd, options);
      let first: string | null;
      do first = this.read(peek);
      while (first !== null && isBlank(first));
      this.format = format !== 'auto' ? format : first !== null && isCsvHeader(first) ? 'csv' : 'router';
      if (this.format === 'csv') {
        const names = first === null ? null : csvHeader(first);
        if (names === null) throw new Error(`${path}: no CSV header (expected a first line naming the columns timestamp, path, service_ms)`);
        const columns = csvColumns(names);
        if (typeof columns === 'string') throw new Error(`${path}: ${columns}`);
        this.columns = columns;
        this.headerLine = peek.lineNumber;
      }
    } catch (e) {
      this.close();
      throw e;
    }
    this.lines = new LineReader(this.fd, options);
  }

  /**
   * Reads the next line and says what it is; END at the end of the file.
   * @throws InputError `<file>: line N is longer than 65536 bytes (…)`: no log or CSV has
   * such lines, and a file without line breaks would otherwise be read to its end as one.
   */
  next(): LineKind {
    const line = this.read(this.lines);
    this.lineNumber = this.lines.lineNumber;
    if (line === null) return END;
    if (isBlank(line)) return BLANK;
    try {
      return this.columns === null ? this.routerLine(line) : this.csvRow(line, this.columns);
    } catch (e) {
      if (!(e instanceof LogParseError)) throw e;
      this.reason = e.reason;
      return MALFORMED;
    }
  }

  private read(reader: LineReader): string | null {
    try {
      return reader.next();
    } catch (e) {
      if (e instanceof FileLimitError) throw new InputError(`${this.path}: ${e.message} (is it a router log or a CSV of requests?)`);
      throw e;
    }
  }

  /** Closes the file (again: nothing). */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  private routerLine(line: string): LineKind {
    const s = this.scanned;
    if (this.scanner.read(line, s)) {
      this.arrivalUs = s.arrivalUs;
      this.serviceUs = s.serviceUs;
      this.route = routeKey(s.method, s.path);
      this.offsets = false;
      return REQUEST;
    }
    const parsed = parseLogLine(line);
    if (parsed.source !== 'heroku' || parsed.proc !== 'router') return OTHER;
    const r = recordFromLogLine(line);
    this.arrivalUs = r.arrivalUs;
    this.serviceUs = r.serviceUs ?? -1;
    this.route = routeKey(r.method, r.path);
    this.offsets = false;
    return REQUEST;
  }

  private csvRow(line: string, columns: CsvColumns): LineKind {
    if (this.lineNumber === this.headerLine) return OTHER;
    const n = splitCsvLine(line, this.fields);
    if (n > columns.timestamp && this.fields[columns.timestamp]!.trim().toLowerCase() === 'timestamp') return OTHER; // a header again (files joined)
    const r = this.row;
    readCsvRow(this.fields, n, columns, r);
    if (this.offsets === null) this.offsets = r.offset;
    else if (r.offset !== this.offsets) {
      throw new LogParseError(
        r.offset
          ? 'timestamp is a number of seconds, but the first row has an ISO 8601 instant'
          : 'timestamp is an ISO 8601 instant, but the first row has a number of seconds',
      );
    }
    this.arrivalUs = r.arrivalUs;
    this.serviceUs = r.serviceUs;
    this.route = routeKey(r.method, r.path);
    return REQUEST;
  }
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}
