/**
 * The formation's process types resolved: web first, each with its size, its starting
 * count and the most dynos it may run, its command, memory model and queue; Heroku's
 * limits on sizes, counts and autoscaling checked.
 */
import type { DynoSize } from '../../model/platform/profile.ts';
import type { MemoryModel, PlatformEvent, ProcessSpec, RequestClass, ScalingPlan } from '../../model/Scenario.ts';
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
  return new Map(types.map((t) => [t, Math.max(s.formation[t]!.count, ...s.events.map((e) => e.scale?.[t]?.count ?? 0), planned.get(t) ?? 0)]));
}

export interface FormationContext {
  sizeOf: SizeOf;
  maxCount: ReadonlyMap<string, number>;
  scaling: readonly ScalingPlan[];
  /** The scripted events, for the sizes resize events give a type. */
  events: readonly PlatformEvent[];
  classes: readonly RequestClass[];
  queues: QueueNames;
  /** The platform's limit of dynos per app. */
  dynosPerApp: number;
  /** The profile's Eco size, if it has one. */
  ecoSize: string | null;
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
      needs: ['platform', 'events', 'scaling'],
    });
  }
  const eco = cx.ecoSize;
  const ecoType = processes.find((p) => p.sizes.some((z) => z.name === eco));
  const other = processes.flatMap((p) => p.sizes.filter((z) => z.name !== eco).map((z) => [p.type, z.name] as const))[0];
  if (ecoType !== undefined && ecoType.sizes.length > 1) {
    problems.push({ path: `formation.${ecoType.type}.size`, message: `a resize into or out of eco is not modelled (${ecoType.type} runs ${ecoType.sizes.map((z) => z.name).join(' and ')}): Eco's pool and sleeping hold for a whole run, so run each part as a scenario of its own`, needs: ['platform', 'events', 'scaling'] });
  } else if (ecoType !== undefined && other !== undefined) {
    problems.push({ path: `formation.${other[0]}`, message: `an app's Eco dynos cannot run beside other sizes (${ecoType.type} is eco, ${other[0]} runs ${other[1]}): Eco draws on the account's pool and sleeps as one app`, needs: ['platform', 'events', 'scaling'] });
  }
  return processes;
}

function resolveProcess(s: ScenarioFile, type: string, k: number, cx: FormationContext, problems: Problem[]): ProcessSpec {
  const p = s.formation[type]!;
  const path = `formation.${type}`;
  const start = scheduleStart(cx.scaling, k);
  const max = cx.maxCount.get(type)!;
  // A type that never runs a dyno needs no size: it stands at the profile's default, and runs none.
  const unsized = start?.size === undefined && p.size === undefined;
  if (unsized && max > 0) problems.push({ path: `${path}.size`, message: `missing (this field is required: ${type} runs dynos)`, needs: ['events', 'scaling'] });
  const size = start?.size ?? cx.sizeOf(p.size, `${path}.size`);
  const sizes = size === undefined || (unsized && max === 0) ? [] : sizesRun(size, k, cx);
  const autoscale = s.scaling[type];
  const shared = sizes.find((z) => !z.dedicated);
  if (autoscale?.strategy === 'heroku-autoscale' && !autoscale.anySize && shared !== undefined) {
    problems.push({ path: `scaling.${type}.strategy`, message: `Heroku autoscales Performance, Private and Shield dynos only, not ${shared.name} (anySize: true to model it anyway)`, needs: [`${path}.size`, 'platform', 'events'] });
  }
  const onePer = sizes.find((z) => z.onePerProcessType);
  if (p.preboot === true && onePer !== undefined) {
    problems.push({ path: `${path}.preboot`, message: `preboot is for Standard and Performance dynos only, not ${onePer.name}`, needs: [`${path}.size`, 'platform', 'events', 'scaling'] });
  }
  if (onePer !== undefined && max > 1) {
    problems.push({ path: `${path}.count`, message: `expected at most 1: ${onePer.name} dynos run one per process type, got ${max}`, needs: [`${path}.size`, 'platform', 'events', 'scaling'] });
  }
  return Object.freeze({
    type,
    count: start?.count ?? p.count,
    size: size!,
    sizes: Object.freeze(sizes),
    concurrency: p.concurrency,
    command: p.command ?? DEFAULT_COMMANDS[type] ?? `bin/${type}`,
    memory: memoryModelOf(type, p.memory, cx.classes),
    crashRatePerUs: (p.crashRate ?? 0) / 1e6,
    queue: type === 'web' ? -1 : cx.queues.index(p.queue ?? 'default'),
    cpuBound: p.cpuBound ?? 0,
    maxCount: max,
    preboot: p.preboot === true,
  });
}

/** Every size type `k` runs at: the one it starts at, then those its resize events and sized schedule entries name, in the order named. */
function sizesRun(start: DynoSize, k: number, cx: FormationContext): DynoSize[] {
  const sizes = [start];
  const add = (z: DynoSize | null): void => void (z !== null && !sizes.includes(z) && sizes.push(z));
  for (const e of cx.events) if ((e.kind === 'resize' || e.kind === 'scale') && e.process === k) add(e.size);
  for (const plan of cx.scaling) if (plan.process === k && plan.strategy === 'schedule') plan.changes.forEach((c) => add(c.size));
  return sizes;
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
