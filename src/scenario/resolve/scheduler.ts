/**
 * Heroku Scheduler tasks resolved: each a one-off dyno every 10 minutes, hour or day,
 * its first run found on the calendar from the minute or local time it names.
 */
import type { SchedulerTask } from '../../model/Scenario.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import type { SizeOf } from './profile.ts';
import { resolveService, type SampleReader } from './services.ts';

type TaskFile = ScenarioFile['scheduler'][number];

export function resolveScheduler(tasks: readonly TaskFile[], sizeOf: SizeOf, calendar: Calendar, readSamples: SampleReader, problems: Problem[]): SchedulerTask[] {
  return tasks.flatMap((task, i) => {
    const path = `scheduler.${i}`;
    const size = sizeOf(task.size, `${path}.size`);
    const everyUs = task.every === '10m' ? 600e6 : task.every === '1h' ? 3600e6 : 86_400e6;
    const firstUs = firstRunUs(task, everyUs, path, calendar, problems);
    const run = resolveService(task.run, `${path}.run`, readSamples, problems);
    return size === undefined ? [] : [Object.freeze({ command: task.command, size, run, everyUs, firstUs, miss: task.miss })];
  });
}

/** When a task first runs, from the start: at :00, :10 … (every 10m), the minute past the hour (1h), the local time (1d). */
function firstRunUs(task: TaskFile, everyUs: number, path: string, calendar: Calendar, problems: Problem[]): number {
  if (task.every === '10m') {
    if (task.at !== undefined) problems.push({ path: `${path}.at`, message: 'tasks every 10 minutes run at :00, :10, :20 …; leave at out' });
    return Math.round(calendar.nextClock(0, 0, 0) * 1e6) % everyUs;
  }
  if (task.every === '1h') {
    const m = task.at === undefined ? ['', '0'] : /^:(\d{2})$/.exec(task.at);
    if (m === null || Number(m[1]) >= 60) {
      problems.push({ path: `${path}.at`, message: `expected the minute past the hour such as :30, got ${JSON.stringify(task.at)}` });
      return 0;
    }
    return Math.round(((calendar.nextClock(0, Number(m[1]), 0) * 1e6) % everyUs));
  }
  const m = task.at === undefined ? ['', '0', '00'] : /^(\d{1,2}):(\d{2})$/.exec(task.at);
  if (m === null || Number(m[1]) >= 24 || Number(m[2]) >= 60) {
    problems.push({ path: `${path}.at`, message: `expected a local time such as 01:00, got ${JSON.stringify(task.at)}` });
    return 0;
  }
  return Math.round(calendar.nextClock(Number(m[1]), Number(m[2]), 0) * 1e6);
}
