/**
 * Time on charts: runs are cut into at most ~720 bins of a round length, and each bin's
 * start is shown as the scenario's local wall clock (a UTC scale in vega-lite, so a chart
 * reads the same in every viewer's time zone).
 */
import type { Calendar } from '../../model/traffic/calendar.ts';
import { formatDuration } from '../../engine/units/duration.ts';

/** Round bin lengths, in seconds. */
const NICE_S = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Most bins a time chart gets: fine enough for a laptop screen, small enough for a report. */
export const MAX_BINS = 720;

/** The shortest round bin that cuts `durationS` into at most MAX_BINS. */
export function binSeconds(durationS: number): number {
  for (const s of NICE_S) if (durationS / s <= MAX_BINS) return s;
  return Math.ceil(durationS / MAX_BINS / 86400) * 86400;
}

/** "2 min", "1 h": a bin length as words for captions. */
export function binWords(binS: number): string {
  return formatDuration(binS * 1e6);
}

/** The x encoding of a time chart over the first `spanS` seconds: the local wall clock of the bin's start (field `t`, ms). */
export function timeX(calendar: Calendar, spanS: number, field = 't'): Record<string, unknown> {
  return {
    field,
    type: 'temporal',
    scale: { type: 'utc', domain: [wallMs(calendar, 0), wallMs(calendar, spanS)] },
    axis: { title: `time (${calendar.timeZone})`, format: spanS <= 2 * 86400 ? '%a %H:%M' : spanS <= 14 * 86400 ? '%a %d %b' : '%b %d', labelOverlap: true, tickCount: 8 },
  };
}

/** Milliseconds of the local wall clock `tS` seconds into the run (the `t` field). */
export function wallMs(calendar: Calendar, tS: number): number {
  return Math.round(calendar.wallClockMs(tS));
}
