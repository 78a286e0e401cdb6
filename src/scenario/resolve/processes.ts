/**
 * The formation's process types resolved: web first, each with its size, its starting
 * count and the most dynos it may run, its command, memory model and queue; Heroku's
 * limits on sizes, counts and autoscaling checked.
 */
import type { MemoryModel, ProcessSpec, RequestClass, ScalingPlan } from '../../model/Scenario.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import type { SizeOf } from './profile.ts';
import type { QueueNames } from './queues.ts';
import { scheduleStart } from './scaling.ts';

type ProcessFile = ScenarioFile['formation'][string];

const DEFAULT_COMMANDS: Readonly<Record<string, string>> = { web: 'bundle exec puma -C config/puma.rb', worker: 'bundle exec sidekiq' };

/** The formation's process types by name, web first, then in the order written. */
export function processOrder(s: ScenarioFile): string[] {
  return ['web', ...Object.keys(s.formation).filter((t) => t !== 'web')];
}

/** The most dynos each process type may run: its count, the counts scale events give it, and what its scaling plan may reach (`planned`). */
export function maxCounts(s: ScenarioFile, types: readonly string[], planned: ReadonlyMap<string, number>): Map<string, number> {
  return new Map(types.map((t) => [t, Math.max(s.formation[t]!.count, ...s.events.map((e) => e.scale?.[t] ?? 0), planned.get(t) ?? 0)]));
}

export interface FormationContext {
  sizeOf: SizeOf;
  maxCount: ReadonlyMap<string, number>;
  scaling: readonly ScalingPlan[];
  classes: readonly RequestClass[];
  queues: QueueNames;
  /** The platform's limit of dynos per app. */
  dynosPerApp: number;
}

/** Every process type of the formation, in `types` order; at most `dynosPerApp` dynos in all. */
export function resolveProcesses(s: ScenarioFile, types: readonly string[], cx: FormationContext, problems: Problem[]): ProcessSpec[] {
  const processes = types.map((type, k) => resolveProcess(s, type, k, cx, problems));
  const totalDynos = processes.reduce((n, p) => n + p.maxCount, 0);
  const limit = cx.dynosPerApp;
  if (totalDynos > limit) {
    problems.push({
      path: 'formation',
      message: `expected at most ${limit} dynos in all (Heroku's limit per app, raised on request: platform.limits.dynosPerApp), got ${totalDynos}`,
    });
  }
  return processes;
}

function resolveProcess(s: ScenarioFile, type: string, k: number, cx: FormationContext, problems: Problem[]): ProcessSpec {
  const p = s.formation[type]!;
  const path = `formation.${type}`;
  const size = cx.sizeOf(p.size, `${path}.size`);
  const max = cx.maxCount.get(type)!;
  const autoscale = s.scaling[type];
  if (autoscale?.strategy === 'heroku-autoscale' && !autoscale.anySize && size !== undefined && !size.dedicated) {
    problems.push({ path: `scaling.${type}.strategy`, message: `Heroku autoscales Performance, Private and Shield dynos only, not ${size.name} (anySize: true to model it anyway)` });
  }
  if (size?.onePerProcessType === true && max > 1) {
    problems.push({ path: `${path}.count`, message: `expected at most 1: ${size.name} dynos run one per process type, got ${max}` });
  }
  return Object.freeze({
    type,
    count: scheduleStart(cx.scaling, k) ?? p.count,
    size: size!,
    concurrency: p.concurrency,
    command: p.command ?? DEFAULT_COMMANDS[type] ?? `bin/${type}`,
    memory: memoryModelOf(type, p.memory, cx.classes),
    crashRatePerUs: (p.crashRate ?? 0) / 1e6,
    queue: type === 'web' ? -1 : cx.queues.index(p.queue ?? 'default'),
    cpuBound: p.cpuBound ?? 0,
    maxCount: max,
  });
}

/** A type's memory model, if it has one; on web, request classes with memory of their own set the memory per request. */
function memoryModelOf(type: string, m: ProcessFile['memory'], classes: readonly RequestClass[]): MemoryModel | null {
  if (m === undefined) return null;
  let perRequestMb = m.perRequest;
  if (type === 'web' && classes.some((c) => c.memoryMb !== null)) {
    // Memory in service, per request, averaged over the classes by their share of busy time.
    let busy = 0;
    let weighted = 0;
    for (const c of classes) {
      const share = c.weight * (c.service?.meanUs ?? 1);
      busy += share;
      weighted += share * (c.memoryMb ?? m.perRequest);
    }
    perRequestMb = busy > 0 ? weighted / busy : perRequestMb;
  }
  return Object.freeze({ baseMb: m.base, perRequestMb, leakMbPerH: m.leak, cacheMb: m.cache, swapSlowdown: m.swapSlowdown });
}
