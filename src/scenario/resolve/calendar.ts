/**
 * The scenario's time: the calendar it runs on, and the times its events name turned
 * into microseconds from the start.
 */
import type { ScenarioFile } from '../schema/scenario.ts';
import type { When } from '../schema/events.ts';
import type { Problem } from '../schema/problems.ts';
import { PROFILES } from '../../model/platform/profiles.ts';
import { Calendar, validTimeZone } from '../../model/traffic/calendar.ts';

/** Microseconds from the start of a scenario's time: a duration, the next local clock time, or an instant. */
export function whenUs(w: When, calendar: Calendar): number {
  if (w.kind === 'offset') return w.us;
  if (w.kind === 'clock') return Math.round(calendar.nextClock(w.hh, w.mm, 0) * 1e6);
  return Math.round(calendar.secondsAt(w.epochMs) * 1e6);
}

/** The calendar a scenario runs on: calendar.start, else platform.start, else a replay's start, else the profile's date; in calendar.timezone. */
export function calendarOf(s: ScenarioFile, problems: Problem[], replayStartMs?: number): Calendar {
  const profile = PROFILES[typeof s.platform === 'string' ? s.platform : s.platform.profile]!;
  const startMs = s.calendar.start ?? (typeof s.platform === 'string' ? undefined : s.platform.start) ?? replayStartMs ?? profile.epochMs;
  if (!validTimeZone(s.calendar.timezone)) {
    problems.push({ path: 'calendar.timezone', message: `expected a time zone such as UTC, Europe/Paris or America/New_York, got ${JSON.stringify(s.calendar.timezone)}` });
    return new Calendar(startMs, 'UTC');
  }
  return new Calendar(startMs, s.calendar.timezone);
}
