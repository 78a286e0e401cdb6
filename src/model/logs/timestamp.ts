/**
 * Log timestamps as Heroku writes them: RFC 3339 with microseconds, always UTC written as
 * `+00:00` (`2013-03-01T00:00:01.000123+00:00`). The conversion is integer calendar
 * arithmetic (Howard Hinnant's days-from-civil algorithms), so it is exact to the
 * microsecond, needs no Date object and never reads the clock.
 */
import { LogParseError, quoteForError } from './LogParseError.ts';

const US_PER_S = 1_000_000;
const S_PER_DAY = 86_400;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `YYYY-MM-DD` of a day count since 1970-01-01. */
function civilFromDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) throw new RangeError(`log timestamps cover years 0000 to 9999, got year ${year}`);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// Consecutive lines almost always fall on the same day: keep its date text.
let cachedDay = NaN;
let cachedDate = '';

/**
 * Formats epoch microseconds as Heroku's log timestamp, e.g.
 * `2013-03-01T00:00:01.000123+00:00`. Non-integer input is rounded down to the
 * microsecond. Exact for every integer below 2^53 µs (about the year 2255).
 * @throws RangeError for NaN, infinities, and dates outside the years 0000-9999.
 */
export function formatLogTime(epochUs: number): string {
  if (!Number.isFinite(epochUs)) throw new RangeError(`log timestamp must be a finite number of µs, got ${epochUs}`);
  const us = Math.floor(epochUs);
  const micro = ((us % US_PER_S) + US_PER_S) % US_PER_S;
  const secs = (us - micro) / US_PER_S;
  const days = Math.floor(secs / S_PER_DAY);
  const sod = secs - days * S_PER_DAY;
  if (days !== cachedDay) {
    cachedDate = civilFromDays(days);
    cachedDay = days;
  }
  const h = Math.floor(sod / 3600);
  const m = Math.floor((sod % 3600) / 60);
  const s = sod % 60;
  return `${cachedDate}T${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(micro).padStart(6, '0')}+00:00`;
}

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses an RFC 3339 timestamp as found in Heroku logs into epoch microseconds: 0 to 6
 * fractional digits (`2012-10-11T03:47:20+00:00` in old lines), `Z` or a `±HH:MM` offset
 * (`2010-10-06T21:51:37-07:00` in Dev Center examples).
 * @throws LogParseError naming what is wrong.
 */
export function parseLogTime(text: string): number {
  const m = TIME_RE.exec(text);
  if (m === null) {
    throw new LogParseError(`expected a timestamp like 2013-03-01T00:00:01.000123+00:00, got ${quoteForError(text)}`);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const bad = (what: string): never => {
    throw new LogParseError(`timestamp ${quoteForError(text)}: ${what}`);
  };
  if (month < 1 || month > 12) bad(`month ${m[2]} out of range`);
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays) bad(`day ${m[3]} out of range for ${m[1]}-${m[2]}`);
  if (hour > 23) bad(`hour ${m[4]} out of range`);
  if (minute > 59) bad(`minute ${m[5]} out of range`);
  if (second > 59) bad(`second ${m[6]} out of range`);
  let offsetS = 0;
  const zone = m[8]!;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) bad(`offset ${zone} out of range`);
    offsetS = (zone[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const micro = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0'));
  const secs = daysFromCivil(year, month, day) * S_PER_DAY + hour * 3600 + minute * 60 + second - offsetS;
  return secs * US_PER_S + micro;
}
