/**
 * The simulated calendar: local hour and day of week in UTC and across DST changes (Paris,
 * New York, and Lord Howe Island, whose clocks move by half an hour in the middle of a UTC
 * hour), the next local clock time, clock parsing, and unknown zones.
 */
import test from 'ava';
import { Calendar, parseClock, validTimeZone } from '../src/model/traffic/calendar.ts';

const HOUR_S = 3600;
const DAY_S = 86_400;
const at = (iso: string): number => Date.parse(iso);

/** What Intl says the local clock reads at an instant: [hour as a float, day 0 Monday … 6 Sunday]. */
function intlClock(epochMs: number, timeZone: string): [number, number] {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(epochMs);
  const get = (type: string): string => parts.find((p) => p.type === type)!.value;
  const hour = Number(get('hour')) + Number(get('minute')) / 60 + Number(get('second')) / 3600;
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  return [hour, day];
}

test('UTC: hour of day, day of week, instants', (t) => {
  const c = new Calendar(at('2025-06-02T00:00:00Z'), 'UTC'); // a Monday
  t.is(c.hourOfDay(0), 0);
  t.is(c.hourOfDay(18.5 * HOUR_S), 18.5);
  t.is(c.hourOfDay(DAY_S - 1), 24 - 1 / 3600);
  t.is(c.hourOfDay(DAY_S), 0);
  t.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((d) => c.dayOfWeek(d * DAY_S + 12 * HOUR_S)), [0, 1, 2, 3, 4, 5, 6, 0]);
  t.is(c.dayOfWeek(-1), 6); // the Sunday before
  t.is(c.epochMs(1.5), at('2025-06-02T00:00:01.500Z'));
  t.is(c.secondsAt(at('2025-06-01T23:00:00Z')), -HOUR_S);
  t.is(c.startEpochMs, at('2025-06-02T00:00:00Z'));
  t.is(c.timeZone, 'UTC');
});

test('Europe/Paris across the spring change (2025-03-30 02:00 CET becomes 03:00 CEST)', (t) => {
  const c = new Calendar(at('2025-03-29T12:00:00Z'), 'Europe/Paris'); // Saturday 13:00 CET
  const s = (iso: string) => c.secondsAt(at(iso));
  t.is(c.hourOfDay(0), 13);
  t.is(c.dayOfWeek(0), 5);
  t.is(c.hourOfDay(s('2025-03-29T23:00:00Z')), 0); // Sunday midnight, still CET
  t.is(c.dayOfWeek(s('2025-03-29T23:00:00Z')), 6);
  t.is(c.hourOfDay(s('2025-03-30T00:59:59Z')), 1 + 59 / 60 + 59 / 3600);
  t.is(c.hourOfDay(s('2025-03-30T01:00:00Z')), 3); // the clocks skip 02:00-03:00
  t.is(c.hourOfDay(s('2025-03-30T01:30:00Z')), 3.5);
  t.is(c.hourOfDay(s('2025-03-30T22:00:00Z')), 0); // Monday midnight is 22:00 UTC in CEST
  t.is(c.dayOfWeek(s('2025-03-30T21:59:59Z')), 6);
  t.is(c.dayOfWeek(s('2025-03-30T22:00:00Z')), 0);
});

test('Europe/Paris across the autumn change: 02:00-03:00 happens twice', (t) => {
  const c = new Calendar(at('2025-10-25T12:00:00Z'), 'Europe/Paris');
  const s = (iso: string) => c.secondsAt(at(iso));
  t.is(c.hourOfDay(s('2025-10-26T00:30:00Z')), 2.5); // CEST
  t.is(c.hourOfDay(s('2025-10-26T00:59:59Z')), 2 + 59 / 60 + 59 / 3600);
  t.is(c.hourOfDay(s('2025-10-26T01:00:00Z')), 2); // CET: back to 02:00
  t.is(c.hourOfDay(s('2025-10-26T01:30:00Z')), 2.5);
  t.is(c.hourOfDay(s('2025-10-26T23:00:00Z')), 0);
});

test('a change in the middle of a UTC hour (Lord Howe Island, +10:30 to +11 at 15:30 UTC)', (t) => {
  const c = new Calendar(at('2025-10-04T00:00:00Z'), 'Australia/Lord_Howe');
  const s = (iso: string) => c.secondsAt(at(iso));
  t.is(c.hourOfDay(s('2025-10-04T15:00:00Z')), 1.5);
  t.is(c.hourOfDay(s('2025-10-04T15:29:59Z')), 1 + 59 / 60 + 59 / 3600);
  t.is(c.hourOfDay(s('2025-10-04T15:30:00Z')), 2.5);
  t.is(c.hourOfDay(s('2025-10-04T15:45:00Z')), 2.75);
});

test('hour and day agree with Intl through a year, every 7919 s, in four zones', (t) => {
  for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe']) {
    const c = new Calendar(at('2025-01-01T00:00:00Z'), zone);
    let mismatches = 0;
    for (let tS = 0; tS < 366 * DAY_S; tS += 7919) {
      const [hour, day] = intlClock(c.epochMs(tS), zone);
      if (Math.abs(c.hourOfDay(tS) - hour) > 1e-9 || c.dayOfWeek(tS) !== day) mismatches++;
    }
    t.is(mismatches, 0, zone);
  }
});

test('America/New_York: 2025-03-09 02:00 EST becomes 03:00 EDT', (t) => {
  const c = new Calendar(at('2025-03-08T00:00:00Z'), 'America/New_York');
  const s = (iso: string) => c.secondsAt(at(iso));
  t.is(c.hourOfDay(s('2025-03-09T06:59:00Z')), 1 + 59 / 60);
  t.is(c.hourOfDay(s('2025-03-09T07:00:00Z')), 3);
  t.is(c.dayOfWeek(0), 4); // Friday 19:00 local
});

test('nextClock: the first local hh:mm at or after a time', (t) => {
  const utc = new Calendar(at('2025-06-02T00:00:00Z'), 'UTC');
  t.is(utc.nextClock(18, 0, 0), 18 * HOUR_S);
  t.is(utc.nextClock(18, 0, 18 * HOUR_S), 18 * HOUR_S); // at counts
  t.is(utc.nextClock(18, 0, 18 * HOUR_S + 0.001), DAY_S + 18 * HOUR_S);
  t.is(utc.nextClock(0, 0, 0), 0);
  t.is(utc.nextClock(7, 30, 3 * DAY_S), 3 * DAY_S + 7.5 * HOUR_S);

  // 18:00 every day in Paris, on both sides of the spring change.
  const paris = new Calendar(at('2025-03-28T12:00:00Z'), 'Europe/Paris');
  let from = 0;
  const evenings: string[] = [];
  for (let i = 0; i < 4; i++) {
    from = paris.nextClock(18, 0, from);
    t.is(paris.hourOfDay(from), 18);
    evenings.push(new Date(paris.epochMs(from)).toISOString());
    from += 1;
  }
  t.deepEqual(evenings, ['2025-03-28T17:00:00.000Z', '2025-03-29T17:00:00.000Z', '2025-03-30T16:00:00.000Z', '2025-03-31T16:00:00.000Z']);

  // 02:30 does not exist on 2025-03-30 in Paris: the instant after the gap (03:30 CEST).
  const gap = paris.nextClock(2, 30, paris.secondsAt(at('2025-03-29T12:00:00Z')));
  t.is(paris.epochMs(gap), at('2025-03-30T01:30:00Z'));
  t.is(paris.hourOfDay(gap), 3.5);

  // 02:30 happens twice on 2025-10-26: both count.
  const autumn = new Calendar(at('2025-10-25T12:00:00Z'), 'Europe/Paris');
  const first = autumn.nextClock(2, 30, 0);
  const second = autumn.nextClock(2, 30, first + 1);
  const third = autumn.nextClock(2, 30, second + 1);
  t.deepEqual([first, second, third].map((x) => new Date(autumn.epochMs(x)).toISOString()), [
    '2025-10-26T00:30:00.000Z',
    '2025-10-26T01:30:00.000Z',
    '2025-10-27T01:30:00.000Z',
  ]);
  t.throws(() => utc.nextClock(24, 0, 0), { message: /00:00 to 23:59/ });
});

test('parseClock reads 24-hour clock times', (t) => {
  t.deepEqual(parseClock('18:00'), { hh: 18, mm: 0 });
  t.deepEqual(parseClock('7:30'), { hh: 7, mm: 30 });
  t.deepEqual(parseClock('00:00'), { hh: 0, mm: 0 });
  t.deepEqual(parseClock(' 23:59 '), { hh: 23, mm: 59 });
  for (const bad of ['24:00', '25:10', '7:60', '7:5', '7h30', '730', '', '18:00:00', '-1:00', '007:30']) t.is(parseClock(bad), undefined, bad);
});

test('unknown time zones are refused, naming the zone', (t) => {
  t.true(validTimeZone('UTC'));
  t.true(validTimeZone('Europe/Paris'));
  t.true(validTimeZone('America/New_York'));
  t.false(validTimeZone('Europe/Pariss'));
  t.false(validTimeZone(''));
  const e = t.throws(() => new Calendar(0, 'Mars/Olympus_Mons'));
  t.regex(e!.message, /Mars\/Olympus_Mons/);
  t.false(e!.message.includes('\n'));
});

test('hours before the start and years away are right too', (t) => {
  const c = new Calendar(at('2025-06-02T00:00:00Z'), 'Europe/Paris');
  t.is(c.hourOfDay(-3 * HOUR_S), 23); // 21:00 UTC the day before, CEST
  t.is(c.hourOfDay(c.secondsAt(at('2040-01-15T12:00:00Z'))), 13); // CET, past the typed arrays
  t.is(c.hourOfDay(c.secondsAt(at('1900-01-01T00:00:00Z'))), 561 / 3600); // Paris mean time, +00:09:21
});
