/**
 * The grid of a sweep: `--vary path=values` axes, their cartesian product (the last axis
 * varies fastest), replications with common random numbers, and the tasks and shards the
 * grid comes to.
 *
 *   --vary formation.web.count=10..100/10     10, 20, …, 100 (b is included when it falls on the grid)
 *   --vary formation.web.count=1..4           1, 2, 3, 4
 *   --vary router.policy=random,shared-queue  a list; each item is read as YAML, like --set
 *
 * Task i of a sweep with R replications is point ⌊i / R⌋, replication i mod R, and runs
 * with seed = base seed + (i mod R): every point sees the same random numbers.
 */
import { parse as parseYaml } from 'yaml';
import type { Task } from '../parallel/runTasks.ts';
import type { ScenarioRef } from '../../scenario/load.ts';
import { SweepError } from './SweepError.ts';

/** One `--vary`: a field path and its values as texts that `--set` reads back (YAML). */
export interface Axis {
  readonly path: string;
  readonly values: readonly string[];
}

/** Everything that decides a sweep's tasks and tables, apart from the scenario file itself. */
export interface SweepSpec {
  readonly axes: readonly Axis[];
  readonly replications: number;
  /** Seed of replication 1 (replication r runs with seed + r − 1). */
  readonly seed: number;
  /** `--set` overrides laid under every point. */
  readonly set: readonly string[];
  readonly variant?: string;
}

/** A sweep grows with the product of its axes: past this many runs it is almost surely a typo. */
export const MAX_TASKS = 10_000_000;
const MAX_AXIS_VALUES = 100_000;

/** Parses one `--vary path=values`; throws SweepError with a one-line message. */
export function parseVary(spec: string): Axis {
  const eq = spec.indexOf('=');
  const where = `--vary ${spec}`;
  if (eq <= 0) throw new SweepError(`${where}: expected path=values, such as formation.web.count=2..8/2 or router.policy=random,least-connections`);
  const path = spec.slice(0, eq).trim();
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(path)) throw new SweepError(`${where}: ${JSON.stringify(path)} is not a field path (such as formation.web.count)`);
  if (path === 'seed') throw new SweepError(`${where}: the seed is not a field to vary: replications take seeds from --seed (or the scenario's), one after another`);
  const text = spec.slice(eq + 1).trim();
  if (text === '') throw new SweepError(`${where}: no values after =`);
  const values = rangeValues(text, where) ?? listValues(text, where);
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(readValue(v));
    if (seen.has(key)) throw new SweepError(`${where}: the value ${v} is given twice`);
    seen.add(key);
  }
  return { path, values };
}

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(`^(${NUM})\\s*\\.\\.\\s*(${NUM})(?:\\s*/\\s*(${NUM}))?$`);

/** `a..b/step` or `a..b` as values, or null when the text is not a range. */
function rangeValues(text: string, where: string): string[] | null {
  const m = RANGE.exec(text);
  if (m === null) {
    if (/^[^,]*\.\.[^,]*$/.test(text) && !/^["'[{]/.test(text)) throw new SweepError(`${where}: expected a range a..b or a..b/step of numbers, such as 10..100/10`);
    return null;
  }
  const a = Number(m[1]);
  const b = Number(m[2]);
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (!(step > 0)) throw new SweepError(`${where}: the step must be above 0`);
  if (a > b) throw new SweepError(`${where}: the range must go up (${m[1]} is above ${m[2]})`);
  // Values are a + i × step, rounded to the decimals written, so 0.1..0.3/0.1 is 0.1, 0.2, 0.3.
  const decimals = Math.min(12, Math.max(decimalsOf(m[1]!), decimalsOf(m[3] ?? '1')));
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  if (n > MAX_AXIS_VALUES) throw new SweepError(`${where}: ${n} values; at most ${MAX_AXIS_VALUES} per --vary`);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(numberText(Number((a + i * step).toFixed(decimals))));
  return out;
}

function decimalsOf(num: string): number {
  const m = /^[-+]?\d*(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(num);
  if (m === null) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

function numberText(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/** `x,y,z`, split on the commas outside quotes and brackets. */
function listValues(text: string, where: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  if (items.some((v) => v === '')) throw new SweepError(`${where}: an empty value in the list`);
  if (items.length > MAX_AXIS_VALUES) throw new SweepError(`${where}: ${items.length} values; at most ${MAX_AXIS_VALUES} per --vary`);
  for (const v of items) {
    try {
      parseYaml(v);
    } catch {
      throw new SweepError(`${where}: the value ${v} is not valid YAML`);
    }
  }
  return items;
}

/** A value as `--set` reads it. */
export function readValue(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}

/** A value as it appears in a CSV cell: texts without their quotes, numbers and booleans as written by JavaScript, the rest as JSON. */
export function cellOf(text: string): string {
  const v = readValue(text);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? numberText(v) : text;
  if (typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

/** Checks a list of axes: no field varied twice. */
export function checkAxes(axes: readonly Axis[]): void {
  for (let i = 0; i < axes.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = axes[j]!.path;
      const b = axes[i]!.path;
      if (a === b) throw new SweepError(`--vary ${b}: this field is varied twice`);
      if (b.startsWith(`${a}.`) || a.startsWith(`${b}.`)) throw new SweepError(`--vary ${b}: overlaps --vary ${a}`);
    }
  }
}

/** The number of grid points: the product of the axes' lengths (1 with no axes). */
export function pointCount(axes: readonly Axis[]): number {
  let n = 1;
  for (const a of axes) n *= a.values.length;
  return n;
}

/** The values of point p, one per axis (the last axis varies fastest). */
export function pointValues(axes: readonly Axis[], p: number): string[] {
  const out = new Array<string>(axes.length);
  for (let k = axes.length - 1; k >= 0; k--) {
    const len = axes[k]!.values.length;
    out[k] = axes[k]!.values[p % len]!;
    p = Math.floor(p / len);
  }
  return out;
}

/** Every point's values, in grid order. */
export function gridPoints(axes: readonly Axis[]): string[][] {
  const n = pointCount(axes);
  const out: string[][] = [];
  for (let p = 0; p < n; p++) out.push(pointValues(axes, p));
  return out;
}

/** The `path=value` overrides of point p. */
export function pointSets(axes: readonly Axis[], p: number): string[] {
  const values = pointValues(axes, p);
  return axes.map((a, k) => `${a.path}=${values[k]}`);
}

export function taskCount(spec: SweepSpec): number {
  return pointCount(spec.axes) * spec.replications;
}

/** Task i: point ⌊i / R⌋, replication i mod R (0-based), seed + i mod R. */
export function taskAt(spec: SweepSpec, ref: ScenarioRef, i: number): Task {
  const p = Math.floor(i / spec.replications);
  const r = i % spec.replications;
  return { ...ref, variant: spec.variant, set: [...spec.set, ...pointSets(spec.axes, p)], seed: spec.seed + r };
}

/** `K/N` with 1 ≤ K ≤ N. */
export function parseShard(text: string): { k: number; n: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new SweepError(`--shard ${text}: expected K/N, such as 3/8 (shard 3 of 8)`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (!(n >= 1)) throw new SweepError(`--shard ${text}: N must be at least 1`);
  if (!(k >= 1 && k <= n)) throw new SweepError(`--shard ${text}: K must be from 1 to ${n}`);
  return { k, n };
}

/** The task indices of shard K of N: those ≡ K − 1 (mod N), in order. Every shard gets ⌊T/N⌋ or ⌈T/N⌉ of them. */
export function shardIndices(total: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = k - 1; i < total; i += n) out.push(i);
  return out;
}
