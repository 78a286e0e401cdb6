/**
 * Job queues: numbered as they are first named (workers' queues, those declared, then
 * those request classes and job sources name), each worked by at most one process type;
 * and the jobs that arrive on their own.
 */
import type { JobSource, ProcessSpec, QueueSpec } from '../../model/Scenario.ts';
import { parseRatePerS } from '../../engine/units/rate.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import { resolveService, type SampleReader } from './services.ts';

/** The queues named so far, in order; `index` gives a queue's number, naming it if it is new. */
export interface QueueNames {
  readonly names: readonly string[];
  index(name: string): number;
}

/** The queues the formation's workers take jobs from and those declared under `queues`, in that order. */
export function queueNames(s: ScenarioFile, types: readonly string[]): QueueNames {
  const names: string[] = [];
  const index = (name: string): number => {
    let q = names.indexOf(name);
    if (q < 0) q = names.push(name) - 1;
    return q;
  };
  for (const t of types) if (t !== 'web') index(s.formation[t]!.queue ?? 'default');
  for (const name of Object.keys(s.queues)) index(name);
  return { names, index };
}

/** `jobs`: jobs arriving on their own, at a rate, on a queue. */
export function resolveJobSources(jobs: ScenarioFile['jobs'], queues: QueueNames, readSamples: SampleReader, problems: Problem[]): JobSource[] {
  return jobs.map((j, i) =>
    Object.freeze({ queue: queues.index(j.queue), perS: parseRatePerS(j.rate) ?? 0, run: resolveService(j.run, `jobs.${i}.run`, readSamples, problems) }),
  );
}

/** Every queue named, with the process type that works it (−1: none) and what becomes of a job lost with its worker. */
export function resolveQueues(s: ScenarioFile, queues: QueueNames, processes: readonly ProcessSpec[], problems: Problem[]): QueueSpec[] {
  const names = queues.names;
  return names.map((name) => {
    const consumers = processes.flatMap((p, k) => (p.queue >= 0 && names[p.queue] === name ? [k] : []));
    if (consumers.length > 1) {
      problems.push({ path: `formation.${processes[consumers[1]!]!.type}.queue`, message: `queue ${name} is already worked by ${processes[consumers[0]!]!.type}: one process type per queue`, needs: [`formation.${processes[consumers[0]!]!.type}.queue`] });
    }
    return Object.freeze({ name, lostJobs: s.queues[name]?.lostJobs ?? 'redeliver', consumer: consumers[0] ?? -1 });
  });
}
