/**
 * Shard files: `dynosim sweep --shard K/N` runs the tasks whose index is ≡ K − 1 (mod N)
 * and writes their outcomes with a header that says which sweep they belong to; `dynosim
 * merge` checks that a set of shard files is one whole sweep and puts the outcomes back in
 * task order. The header carries everything the tables need (the axes and their values,
 * replications, seed), so merging needs no scenario file.
 *
 * The fingerprint is a SHA-256 of the dynosim version, the scenario file's bytes, the bytes
 * of the files it refers to (service samples, replayed logs), and every option that changes
 * results (--vary, --replications, --seed, --set, --variant): shards agree on it only when
 * they are parts of the same sweep.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import * as z from 'zod';
import { MIB, type TextLimits } from '../../engine/files.ts';
import { bucketCount } from '../../engine/Histogram.ts';
import { METRICS, type Outcome } from '../parallel/outcome.ts';
import { shardIndices, taskCount, type SweepSpec } from './grid.ts';
import { SweepError } from './SweepError.ts';

export const SHARD_FORMAT = 'dynosim-sweep-shard/1';

/**
 * A shard file, read whole by merge: 256 MiB at most, 16 MiB a line (a line is one run's
 * outcome, its two histograms a few hundred kB at most).
 */
export const SHARD_FILE_LIMITS: TextLimits = { maxBytes: 256 * MIB, maxLineBytes: 16 * MIB };

export interface ShardHeader {
  readonly format: typeof SHARD_FORMAT;
  readonly dynosim: string;
  /** The scenario file's name (no folder: shards run on different machines). */
  readonly scenario: string;
  /** The scenario's `name`. */
  readonly name: string;
  readonly fingerprint: string;
  readonly sweep: SweepSpec;
  /** Runs in the whole sweep. */
  readonly tasks: number;
  readonly shard: { readonly k: number; readonly n: number };
}

export interface Shard extends ShardHeader {
  readonly outcomes: ReadonlyArray<{ readonly task: number; readonly outcome: Outcome }>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The SHA-256 of a file's bytes, read 1 MiB at a time (a replayed log may be of any size). @throws the errors of node:fs. */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(MIB);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf, 0, MIB, null); n > 0; n = readSync(fd, buf, 0, MIB, null)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** The fingerprint of a sweep, from the hashes of its files and its options. */
export function fingerprint(input: {
  version: string;
  scenarioSha256: string;
  /** Files the scenario refers to, by the name it gives them, with their SHA-256 (null: cannot be read). */
  files: ReadonlyArray<{ name: string; sha256: string | null }>;
  spec: SweepSpec;
}): string {
  const files = [...input.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const s = input.spec;
  const canonical = {
    dynosim: input.version,
    scenario: input.scenarioSha256,
    files,
    axes: s.axes.map((a) => ({ path: a.path, values: [...a.values] })),
    replications: s.replications,
    seed: s.seed,
    set: [...s.set],
    variant: s.variant ?? null,
  };
  return `sha256:${sha256(JSON.stringify(canonical))}`;
}

/** The text of a shard file: the header, then one outcome a line (deterministic). */
export function shardText(header: ShardHeader, tasks: readonly number[], outcomes: readonly Outcome[]): string {
  if (tasks.length !== outcomes.length) throw new RangeError('a shard needs one outcome per task');
  const s = header.sweep;
  const sweep = { axes: s.axes, replications: s.replications, seed: s.seed, set: s.set, variant: s.variant ?? null };
  const head = { format: header.format, dynosim: header.dynosim, scenario: header.scenario, name: header.name, fingerprint: header.fingerprint, sweep, tasks: header.tasks, shard: header.shard };
  const lines = tasks.map((t, i) => `    ${JSON.stringify({ task: t, outcome: outcomes[i] })}`);
  const headText = JSON.stringify(head, null, 2);
  return `${headText.slice(0, -2)},\n  "outcomes": [\n${lines.join(',\n')}${lines.length > 0 ? '\n' : ''}  ]\n}\n`;
}

// ---------------------------------------------------------------------------------------
// Reading shards back.

const whole = z.number().int().nonnegative();
const num = z.number();
const histogram = z.object({
  bits: z.number().int().min(1).max(20),
  count: num.nonnegative(),
  sum: num,
  min: num.nullable(),
  max: num.nullable(),
  buckets: z.array(z.tuple([whole, num.nonnegative()])),
}).superRefine((h, ctx) => {
  // What the histogram's merge relies on: buckets in order, each one the precision has,
  // holding between them every value the count says, and min and max exactly when it has any.
  const size = bucketCount(h.bits);
  let held = 0;
  for (let i = 0; i < h.buckets.length; i++) {
    const [b, c] = h.buckets[i]!;
    if (b >= size || (i > 0 && b <= h.buckets[i - 1]![0])) {
      ctx.addIssue({ code: 'custom', path: ['buckets', i], message: `bucket ${b} is out of order or not among the ${size} buckets of ${h.bits}-bit precision` });
      return;
    }
    held += c;
  }
  if (held !== h.count) ctx.addIssue({ code: 'custom', path: ['count'], message: `${h.count}, but the buckets hold ${held} values` });
  else if ((h.count > 0) !== (h.min !== null && h.max !== null)) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min and max must be given exactly when the histogram holds values' });
});
const metrics = z.object(Object.fromEntries(METRICS.map((m) => [m.key, num.nullable()])) as Record<(typeof METRICS)[number]['key'], z.ZodNullable<z.ZodNumber>>);
const outcome = z.object({ metrics, latency: histogram, queue: histogram, requests: num.nonnegative() });
const shardSchema = z.object({
  format: z.literal(SHARD_FORMAT),
  dynosim: z.string(),
  scenario: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  sweep: z.object({
    axes: z.array(z.object({ path: z.string().min(1), values: z.array(z.string()).min(1) })),
    replications: z.number().int().min(1),
    seed: z.number().int(),
    set: z.array(z.string()),
    variant: z.string().nullable(),
  }),
  tasks: whole,
  shard: z.object({ k: z.number().int().min(1), n: z.number().int().min(1) }),
  outcomes: z.array(z.object({ task: whole, outcome })),
});

/** Reads one shard file's text; throws SweepError naming the file. */
export function parseShard(name: string, text: string): Shard {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SweepError(`${name}: not a dynosim shard file (not valid JSON; was it written completely?)`);
  }
  if (raw === null || typeof raw !== 'object' || (raw as Record<string, unknown>)['format'] !== SHARD_FORMAT) {
    throw new SweepError(`${name}: not a dynosim shard file (dynosim sweep --shard K/N writes them)`);
  }
  const parsed = shardSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SweepError(`${name}: damaged shard file: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const d = parsed.data;
  const sweep: SweepSpec = { axes: d.sweep.axes, replications: d.sweep.replications, seed: d.sweep.seed, set: d.sweep.set, ...(d.sweep.variant === null ? {} : { variant: d.sweep.variant }) };
  if (d.shard.k > d.shard.n) throw new SweepError(`${name}: damaged shard file: shard ${d.shard.k} of ${d.shard.n}`);
  if (d.tasks !== taskCount(sweep)) throw new SweepError(`${name}: damaged shard file: ${d.tasks} runs for a grid of ${taskCount(sweep)}`);
  const want = shardIndices(d.tasks, d.shard.k, d.shard.n);
  if (d.outcomes.length !== want.length || d.outcomes.some((o, i) => o.task !== want[i])) {
    throw new SweepError(`${name}: damaged shard file: it should hold runs ${describeIndices(want)} of shard ${d.shard.k} of ${d.shard.n}`);
  }
  return { ...d, format: SHARD_FORMAT, sweep, outcomes: d.outcomes as Shard['outcomes'] };
}

function describeIndices(xs: readonly number[]): string {
  if (xs.length === 0) return 'none';
  if (xs.length <= 4) return xs.join(', ');
  return `${xs[0]}, ${xs[1]}, …, ${xs[xs.length - 1]} (${xs.length})`;
}

/** The conventional name of shard K of N. */
export function shardFileName(k: number, n: number): string {
  return `shard-${k}-of-${n}.json`;
}

/**
 * Checks that the shards are the whole of one sweep (same fingerprint, same N, each K
 * once, none missing) and returns its header and every outcome in task order; throws
 * SweepError with one line naming the file at fault.
 */
export function combineShards(shards: ReadonlyArray<{ name: string; shard: Shard }>): { header: ShardHeader; outcomes: Outcome[] } {
  if (shards.length === 0) throw new SweepError('no shard files given');
  const first = shards[0]!;
  const f = first.shard;
  const byK = new Map<number, string>();
  for (const { name, shard: s } of shards) {
    if (s.fingerprint !== f.fingerprint) {
      const why =
        s.dynosim !== f.dynosim
          ? `made by dynosim ${s.dynosim}, ${first.name} by ${f.dynosim}`
          : s.scenario !== f.scenario
            ? `a sweep of ${s.scenario}, ${first.name} of ${f.scenario}`
            : 'the scenario file, the files it names or the sweep options differ';
      throw new SweepError(`${name}: not from the same sweep as ${first.name} (${why})`);
    }
    if (s.shard.n !== f.shard.n) throw new SweepError(`${name}: shard ${s.shard.k} of ${s.shard.n}, but ${first.name} is of ${f.shard.n} (shards of one split only)`);
    const other = byK.get(s.shard.k);
    if (other !== undefined) throw new SweepError(`${name}: shard ${s.shard.k} of ${s.shard.n} is given twice (also ${other})`);
    byK.set(s.shard.k, name);
  }
  const n = f.shard.n;
  const missing: number[] = [];
  for (let k = 1; k <= n; k++) if (!byK.has(k)) missing.push(k);
  if (missing.length > 0) {
    const list = missing.length <= 5 ? missing.map((k) => shardFileName(k, n)).join(', ') : `${missing.length} of them, the first ${shardFileName(missing[0]!, n)}`;
    throw new SweepError(`${first.name}: the sweep is split into ${n} shards and ${missing.length === 1 ? 'one is' : `${missing.length} are`} missing: ${list}`);
  }
  const outcomes = new Array<Outcome>(f.tasks);
  for (const { shard: s } of shards) for (const o of s.outcomes) outcomes[o.task] = o.outcome;
  const { outcomes: _, ...header } = f;
  return { header, outcomes };
}
