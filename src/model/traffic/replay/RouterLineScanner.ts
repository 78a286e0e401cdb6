/**
 * A fast reading of the router line as nearly every log holds it: `heroku logs` output or
 * a today's drain frame (`N <158>1 … host heroku router - …`), with a microsecond UTC
 * timestamp. It reads the fields in place, with no regular expression, no object per line
 * and the date of the current minute remembered, and it gives the same arrival and
 * service time as `recordFromLogLine` or gives up: a line it does not accept (any other
 * shape, anything unusual, anything wrong) goes to the full parser, which reads it or says
 * why not. The field scan is parseFields' own, step for step, so quoted values, repeated
 * keys and bare words come out the same.
 */
import { isRouterCode } from '../../logs/codes.ts';
import { utf8Length } from '../../logs/format.ts';
import { LogParseError } from '../../logs/LogParseError.ts';
import { parseLogTime } from '../../logs/timestamp.ts';
import { H20_HOLD_MS, H12_OVERRUN_US } from './record.ts';

/** What the scanner writes for an accepted line (reused from line to line). */
export interface ScannedRouterLine {
  /** When the request reached the router, epoch µs. */
  arrivalUs: number;
  /** The dyno's service time, µs; −1 when no dyno answered. */
  serviceUs: number;
  method: string;
  /** Path as logged, query string included. */
  path: string;
}

const PLAIN_ROUTER = ' heroku[router]: ';
const DRAIN_ROUTER = ' host heroku router - ';
/** `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` */
const TIME_CHARS = 32;
const MINUTE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const ABSENT = -1;
const INVALID = -2;
/** Digits read as a number here; longer numbers go to the full parser. */
const MAX_DIGITS = 15;

const SPACE = 32;
const QUOTE = 34;
const EQUALS = 61;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The digits `line[from, to)` as a number, or INVALID unless they are 1 to 15 digits. */
function digits(line: string, from: number, to: number): number {
  if (to <= from || to - from > MAX_DIGITS) return INVALID;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (!isDigit(c)) return INVALID;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** A `12ms` or `12` value: ABSENT when empty, INVALID when not that shape (MS_RE of parse.ts). */
function millis(line: string, from: number, to: number): number {
  if (from === to) return ABSENT;
  if (to - from > 2 && line.charCodeAt(to - 2) === 109 && line.charCodeAt(to - 1) === 115) to -= 2; // "ms"
  return digits(line, from, to);
}

export class RouterLineScanner {
  /** The minute last read (`2025-06-02T10:15`) and its start, epoch µs. */
  private minute = '';
  private minuteUs = 0;

  /**
   * Reads `line` into `out` when it is a router line of the common shape that
   * `recordFromLogLine` reads, with the same arrival and service time; false otherwise
   * (the line may still be readable, or be another kind of line, or be malformed).
   */
  read(line: string, out: ScannedRouterLine): boolean {
    let msg: number;
    let epochUs: number;
    const c0 = line.charCodeAt(0);
    if (isDigit(c0) && line.charCodeAt(4) === 45) {
      // `heroku logs` output.
      epochUs = this.time(line, 0);
      if (epochUs !== epochUs || !line.startsWith(PLAIN_ROUTER, TIME_CHARS)) return false;
      msg = TIME_CHARS + PLAIN_ROUTER.length;
    } else if (isDigit(c0)) {
      // A drain frame: `N <P>1 TIME host heroku router - message`.
      const sp = line.indexOf(' ');
      const count = digits(line, 0, sp);
      if (count < 0 || line.charCodeAt(sp + 1) !== 60) return false; // "<"
      const gt = line.indexOf('>', sp + 2);
      if (gt < 0 || gt - (sp + 2) > 3) return false;
      const priority = digits(line, sp + 2, gt);
      if (priority < 0 || priority > 191) return false;
      if (line.charCodeAt(gt + 1) !== 49 || line.charCodeAt(gt + 2) !== SPACE) return false; // "1 "
      const t = gt + 3;
      epochUs = this.time(line, t);
      if (epochUs !== epochUs || !line.startsWith(DRAIN_ROUTER, t + TIME_CHARS)) return false;
      const bytes = utf8Length(line) - sp - 1;
      if (count !== bytes + 1 && count !== bytes) return false;
      msg = t + TIME_CHARS + DRAIN_ROUTER.length;
    } else {
      return false;
    }

    // parseFields, keeping only where each value we need lies.
    let at0 = ABSENT, at1 = 0, code0 = ABSENT, code1 = 0, method0 = ABSENT, method1 = 0;
    let path0 = ABSENT, path1 = 0, host = false, dyno0 = ABSENT, dyno1 = 0;
    let connect0 = ABSENT, connect1 = 0, service0 = ABSENT, service1 = 0, status0 = ABSENT, status1 = 0;
    let bytes0 = ABSENT, bytes1 = 0, sock0 = ABSENT, sock1 = 0, queue0 = ABSENT, queue1 = 0, wait0 = ABSENT, wait1 = 0;
    const n = line.length;
    let i = msg;
    while (i < n) {
      while (i < n && line.charCodeAt(i) === SPACE) i++;
      if (i >= n) break;
      const k0 = i;
      let c = line.charCodeAt(i);
      while (i < n && c !== SPACE && c !== EQUALS) c = line.charCodeAt(++i);
      if (i >= n || c === SPACE || i === k0) {
        while (i < n && line.charCodeAt(i) !== SPACE) i++;
        continue;
      }
      const k1 = i;
      i++;
      let v0: number;
      let v1: number;
      if (line.charCodeAt(i) === QUOTE) {
        let close = line.indexOf('"', i + 1);
        while (close >= 0 && close + 1 < n && line.charCodeAt(close + 1) !== SPACE) close = line.indexOf('"', close + 1);
        if (close < 0) return false;
        v0 = i + 1;
        v1 = close;
        i = close + 1;
      } else {
        const end = line.indexOf(' ', i);
        v0 = i;
        v1 = end < 0 ? n : end;
        i = v1;
      }
      switch (k1 - k0) {
        case 2:
          if (line.startsWith('at', k0)) (at0 = v0), (at1 = v1);
          break;
        case 4:
          if (line.startsWith('path', k0)) (path0 = v0), (path1 = v1);
          else if (line.startsWith('host', k0)) host = true;
          else if (line.startsWith('dyno', k0)) (dyno0 = v0), (dyno1 = v1);
          else if (line.startsWith('code', k0)) (code0 = v0), (code1 = v1);
          else if (line.startsWith('sock', k0)) (sock0 = v0), (sock1 = v1);
          else if (line.startsWith('wait', k0)) (wait0 = v0), (wait1 = v1);
          break;
        case 5:
          if (line.startsWith('bytes', k0)) (bytes0 = v0), (bytes1 = v1);
          else if (line.startsWith('queue', k0)) (queue0 = v0), (queue1 = v1);
          break;
        case 6:
          if (line.startsWith('method', k0)) (method0 = v0), (method1 = v1);
          else if (line.startsWith('status', k0)) (status0 = v0), (status1 = v1);
          break;
        case 7:
          if (line.startsWith('service', k0)) (service0 = v0), (service1 = v1);
          else if (line.startsWith('connect', k0)) (connect0 = v0), (connect1 = v1);
          break;
      }
    }

    // parseRouterLine's checks.
    if (at0 === ABSENT) return false;
    const atLength = at1 - at0;
    const info = atLength === 4 && line.startsWith('info', at0);
    if (!info && !(atLength === 5 && line.startsWith('error', at0))) return false;
    let h20 = false;
    let h12 = false;
    if (code0 !== ABSENT) {
      if (info) return false;
      const code = line.slice(code0, code1);
      // Any router code, as recordFromLogLine reads them (H27 … included).
      if (!isRouterCode(code) && !/^H\d\d$/.test(code)) return false;
      h20 = code === 'H20';
      h12 = code === 'H12';
    } else if (!info) {
      return false;
    }
    if (method0 === ABSENT || path0 === ABSENT || !host || status0 === ABSENT) return false;
    if (digits(line, status0, status1) < 0) return false;
    if (bytes0 !== ABSENT && bytes1 > bytes0 && digits(line, bytes0, bytes1) < 0) return false;
    if (sock0 !== ABSENT) {
      const len = sock1 - sock0;
      if (!(len === 7 && line.startsWith('backend', sock0)) && !(len === 6 && line.startsWith('client', sock0))) return false;
    }
    if (queue0 !== ABSENT && millis(line, queue0, queue1) === INVALID) return false;
    if (wait0 !== ABSENT && millis(line, wait0, wait1) === INVALID) return false;
    const connectMs = connect0 === ABSENT ? ABSENT : millis(line, connect0, connect1);
    const serviceMs = service0 === ABSENT ? ABSENT : millis(line, service0, service1);
    if (connectMs === INVALID || serviceMs === INVALID) return false;

    // recordFromLogLine's arithmetic.
    const answered = serviceMs !== ABSENT && dyno0 !== ABSENT && dyno1 > dyno0;
    const heldMs = h20 ? H20_HOLD_MS : 0;
    out.arrivalUs = epochUs - ((connectMs === ABSENT ? 0 : connectMs) + (serviceMs === ABSENT ? 0 : serviceMs) + heldMs) * 1000;
    out.serviceUs = answered ? serviceMs * 1000 + (h12 ? H12_OVERRUN_US : 0) : -1;
    out.method = line.slice(method0, method1);
    out.path = line.slice(path0, path1);
    return true;
  }

  /** The timestamp at `line[from]` in the `…T10:15:07.123456+00:00` shape, epoch µs; NaN for any other shape. */
  private time(line: string, from: number): number {
    if (line.length < from + TIME_CHARS) return NaN;
    if (!line.startsWith(this.minute, from) || this.minute === '') {
      const minute = line.slice(from, from + 16);
      if (!MINUTE_RE.test(minute)) return NaN;
      try {
        this.minuteUs = parseLogTime(`${minute}:00+00:00`);
      } catch (e) {
        if (e instanceof LogParseError) return NaN;
        throw e;
      }
      this.minute = minute;
    }
    if (line.charCodeAt(from + 16) !== 58 || line.charCodeAt(from + 19) !== 46 || !line.startsWith('+00:00', from + 26)) {
      return NaN;
    }
    const s = digits(line, from + 17, from + 19);
    const micro = digits(line, from + 20, from + 26);
    if (s < 0 || s > 59 || micro < 0) return NaN;
    return this.minuteUs + s * 1_000_000 + micro;
  }
}
