/**
 * The simulated calendar: which instant time zero of a run stands for, and the local clock
 * of one IANA time zone. Rate expressions ask it for the local hour and day of week once
 * per rate step (2.6 M times for a month at 1 s steps), so the zone's UTC offset is looked
 * up with Intl once per UTC hour the run touches and cached in typed arrays; after that an
 * evaluation is arithmetic. An hour in which the offset changes (a DST transition) keeps
 * the instant of the change, found to the second, so clocks are right on both sides of it.
 */

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Hours cached in typed arrays from the start (ten years); others go to a Map. */
const MAX_SLOTS = 24 * 366 * 10;
/** 1970-01-01 was a Thursday: day 3 when Monday is 0. */
const EPOCH_WEEKDAY = 3;

/** True when `name` is a time zone this platform knows (an IANA name such as Europe/Paris, or UTC). */
export function validTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Reads a 24-hour local clock time, "18:00" or "7:30"; undefined for anything else (24:00, 7:60, 7h30). */
export function parseClock(text: string): { hh: number; mm: number } | undefined {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (m === null) return undefined;
  const hh = Number(m[1]);
  const mm = Number(m[2]);
  return hh < 24 && mm < 60 ? { hh, mm } : undefined;
}

/** A run's calendar: seconds since the start (floats) to instants and local clock readings. */
export class Calendar {
  /** The instant of time zero, milliseconds since 1970-01-01T00:00:00Z. */
  readonly startEpochMs: number;
  /** The IANA zone of local clock times. */
  readonly timeZone: string;

  private readonly format: Intl.DateTimeFormat;
  /** UTC hour index (floor(epochMs / 1 h)) of slot 0 of the caches. */
  private readonly baseHour: number;
  /** Per cached UTC hour: the offset at its start (ms; NaN while not looked up). */
  private offsetMs = new Float64Array(0);
  /** Per cached UTC hour: the instant the offset changes within it, or Infinity. */
  private switchAtMs = new Float64Array(0);
  /** Per cached UTC hour: the offset from `switchAtMs` on. */
  private offsetAfterMs = new Float64Array(0);
  /** Hours before time zero or past the typed arrays' reach, by UTC hour index: rarely asked for. */
  private readonly farHours = new Map<number, readonly [number, number, number]>();

  /** Throws when the zone is unknown. */
  constructor(startEpochMs: number, timeZone: string) {
    if (!Number.isFinite(startEpochMs)) throw new Error(`the calendar's start must be an instant, got ${startEpochMs}`);
    if (!validTimeZone(timeZone)) throw new Error(`unknown time zone ${JSON.stringify(timeZone)} (expected an IANA name such as UTC, Europe/Paris or America/New_York)`);
    this.startEpochMs = startEpochMs;
    this.timeZone = timeZone;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.baseHour = Math.floor(startEpochMs / HOUR_MS);
  }

  /** The instant `tS` seconds after the start, in milliseconds since the epoch. */
  epochMs(tS: number): number {
    return this.startEpochMs + tS * SECOND_MS;
  }

  /** Seconds from the start to an instant (negative before it). */
  secondsAt(epochMs: number): number {
    return (epochMs - this.startEpochMs) / SECOND_MS;
  }

  /** The local wall-clock reading `tS` seconds after the start, as milliseconds of a UTC calendar (for charts' time axes). */
  wallClockMs(tS: number): number {
    return this.localMs(this.epochMs(tS));
  }

  /**
   * The local clock reading `tS` seconds after the start, to the second (rounded down), in
   * ISO 8601 with the zone's UTC offset then: `2026-11-27T09:00:00-05:00`, `…+00:00` in UTC.
   * Only Intl's zone data is read, never the machine's zone. An offset of seconds (local
   * mean time before 1900) is rounded to the minute, and the reading with it.
   */
  isoLocal(tS: number): string {
    const epochMs = Math.floor(this.epochMs(tS) / SECOND_MS) * SECOND_MS;
    const offsetMin = Math.round((this.localMs(epochMs) - epochMs) / 60_000);
    const local = new Date(epochMs + offsetMin * 60_000).toISOString().slice(0, 19);
    const abs = Math.abs(offsetMin);
    const hh = String(Math.floor(abs / 60)).padStart(2, '0');
    const mm = String(abs % 60).padStart(2, '0');
    return `${local}${offsetMin < 0 ? '-' : '+'}${hh}:${mm}`;
  }

  /** The local clock hour at `tS`, a float in [0, 24): 18.5 at 18:30 local time. */
  hourOfDay(tS: number): number {
    const localMs = this.localMs(this.startEpochMs + tS * SECOND_MS);
    return (((localMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  }

  /** The local day of the week at `tS`: 0 Monday … 6 Sunday. */
  dayOfWeek(tS: number): number {
    const days = Math.floor(this.localMs(this.startEpochMs + tS * SECOND_MS) / DAY_MS);
    return (((days + EPOCH_WEEKDAY) % 7) + 7) % 7;
  }

  /**
   * Seconds from the start of the first local time hh:mm at or after `fromS`. A time the
   * clocks skip (02:30 on a spring-forward night) is taken as the instant after the gap, as
   * a wall clock would show it (03:30); a time that happens twice (autumn) counts twice.
   */
  nextClock(hh: number, mm: number, fromS: number): number {
    if (!(Number.isInteger(hh) && hh >= 0 && hh < 24 && Number.isInteger(mm) && mm >= 0 && mm < 60)) {
      throw new RangeError(`expected a clock time from 00:00 to 23:59, got ${hh}:${mm}`);
    }
    const fromLocalDay = Math.floor(this.localMs(this.epochMs(fromS)) / DAY_MS);
    const clockMs = (hh * 60 + mm) * 60_000;
    // Offsets are under a day, so the answer is on the local day of fromS or the next one;
    // one day either side covers every reading of the clock near it.
    for (let day = fromLocalDay - 1; day <= fromLocalDay + 2; day++) {
      for (const epochMs of this.instantsOfLocal(day * DAY_MS + clockMs)) {
        const s = this.secondsAt(epochMs);
        if (s >= fromS) return s;
      }
    }
    throw new Error(`no local ${hh}:${String(mm).padStart(2, '0')} in ${this.timeZone} within two days of t=${fromS}s`);
  }

  /** The local wall-clock reading of an instant, as milliseconds of a UTC calendar. */
  private localMs(epochMs: number): number {
    const slot = Math.floor(epochMs / HOUR_MS) - this.baseHour;
    if (slot >= 0 && slot < this.offsetMs.length) {
      const offset = this.offsetMs[slot]!;
      if (offset === offset) return epochMs + (epochMs < this.switchAtMs[slot]! ? offset : this.offsetAfterMs[slot]!);
    }
    return epochMs + this.offsetAt(epochMs);
  }

  /** The zone's UTC offset at an instant (ms), filling the cache of its hour. */
  private offsetAt(epochMs: number): number {
    const hour = Math.floor(epochMs / HOUR_MS);
    const slot = hour - this.baseHour;
    if (slot < 0 || slot >= MAX_SLOTS) {
      let entry = this.farHours.get(hour);
      if (entry === undefined) {
        entry = this.lookUpHour(hour);
        this.farHours.set(hour, entry);
      }
      return epochMs < entry[1] ? entry[0] : entry[2];
    }
    if (slot >= this.offsetMs.length) this.grow(slot + 1);
    if (this.offsetMs[slot] !== this.offsetMs[slot]) {
      const [offset, switchAt, offsetAfter] = this.lookUpHour(hour);
      this.offsetMs[slot] = offset;
      this.switchAtMs[slot] = switchAt;
      this.offsetAfterMs[slot] = offsetAfter;
    }
    return epochMs < this.switchAtMs[slot]! ? this.offsetMs[slot]! : this.offsetAfterMs[slot]!;
  }

  /** Asks Intl for one UTC hour: its offset, and where it changes within the hour (to the second). */
  private lookUpHour(hour: number): readonly [number, number, number] {
    let lo = hour * HOUR_MS;
    let hi = lo + HOUR_MS - SECOND_MS;
    const first = this.intlOffset(lo);
    const last = this.intlOffset(hi);
    if (first === last) return [first, Infinity, first];
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
      if (this.intlOffset(mid) === first) lo = mid;
      else hi = mid;
    }
    return [first, hi, last];
  }

  /** The offset at a whole second, from the zone's wall-clock fields. */
  private intlOffset(epochMs: number): number {
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(epochMs)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': bc = part.value.startsWith('B'); break;
      }
    }
    const wall = new Date(0);
    wall.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
    wall.setUTCHours(hour, minute, second, 0);
    return wall.getTime() - epochMs;
  }

  /** The instants (ascending) at which the local clock reads `localMs`: none is impossible, the gap's end stands in. */
  private instantsOfLocal(localMs: number): number[] {
    const offsetBefore = this.offsetAt(localMs - DAY_MS);
    const offsetAfter = this.offsetAt(localMs + DAY_MS);
    const out: number[] = [];
    for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
      const epochMs = localMs - offset;
      if (this.offsetAt(epochMs) === offset) out.push(epochMs);
    }
    // In a spring-forward gap, reading the clock with the offset before the change gives
    // the instant the wall clock shows that time plus the gap.
    if (out.length === 0) out.push(localMs - offsetBefore);
    return out.sort((a, b) => a - b);
  }

  private grow(minSlots: number): void {
    const n = Math.min(MAX_SLOTS, Math.max(minSlots, this.offsetMs.length * 2, 24 * 32));
    const offsetMs = new Float64Array(n).fill(NaN);
    const switchAtMs = new Float64Array(n);
    const offsetAfterMs = new Float64Array(n);
    offsetMs.set(this.offsetMs);
    switchAtMs.set(this.switchAtMs);
    offsetAfterMs.set(this.offsetAfterMs);
    this.offsetMs = offsetMs;
    this.switchAtMs = switchAtMs;
    this.offsetAfterMs = offsetAfterMs;
  }
}
