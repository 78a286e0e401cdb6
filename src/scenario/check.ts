/**
 * A scenario's fields checked against the schema so that every independent problem is
 * found in one pass. zod stops short of some checks when a file has a problem: a mapping
 * with a wrong field is not checked as a whole (warmup against duration), and with no
 * parsed file at all nothing can be resolved (sizes against the platform, rate
 * expressions). So each wrong field is replaced by a stand-in the schema accepts (left
 * out if it may be, else the simplest value of its kind; an unknown field is dropped),
 * and the file is checked again, until it parses. The problems found on the way are the
 * file's; a problem found later by a check that read a stand-in is not (see standsIn).
 */
import { scenarioSchema, type ScenarioFile } from './schema.ts';
import { issueProblems, joinPath, type Problem } from './problems.ts';
import { fieldsAt, schemaAt, standIns, valueAt } from './schema/walk.ts';

/** A file's fields as far as the schema goes: the parsed file if stand-ins made one, and its problems. */
export interface FieldCheck {
  /** The file parsed, with stand-ins for its wrong fields; undefined when none would do. */
  readonly data: ScenarioFile | undefined;
  readonly problems: readonly Problem[];
  /** The paths whose values are stand-ins. */
  readonly standIns: readonly string[];
}

/** Enough for the deepest file: each round replaces every wrong field found, or climbs to its parent. */
const ROUNDS = 40;

/** Checks a scenario's fields; the stand-ins are put into a copy, never into `input`. */
export function checkFields(input: Record<string, unknown>): FieldCheck {
  const problems: Problem[] = [];
  const replaced: string[] = [];
  const tried = new Map<string, number>();
  let x: Record<string, unknown> = input;
  for (let round = 0; round < ROUNDS; round++) {
    const parsed = scenarioSchema.safeParse(x, { reportInput: true });
    if (parsed.success) return { data: parsed.data, problems, standIns: replaced };
    const found = issueProblems(parsed.error.issues, [], { schema: scenarioSchema, input: x });
    for (const p of found) {
      const problem = { path: joinPath(p.at), message: p.message, ...(p.needs === undefined ? {} : { needs: p.needs }) };
      if (!standsIn(problem, replaced)) problems.push(problem);
    }
    x = structuredClone(x);
    for (const p of found) {
      if (!mend(x, p.at, replaced, tried)) return { data: undefined, problems, standIns: replaced };
    }
  }
  return { data: undefined, problems, standIns: replaced };
}

/** True when one path is the other or inside it ("" is the file, inside nothing). */
function related(a: string, b: string): boolean {
  return a !== '' && b !== '' && (a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`));
}

/** True when a problem is about a stand-in, or its check read one: at, in or around a replaced path, or needing one. */
export function standsIn(p: Problem, replaced: readonly string[]): boolean {
  return replaced.some((r) => related(p.path, r) || (p.needs ?? []).some((n) => related(n, r)));
}

const LEAVE_OUT = Symbol('leave out');

/**
 * Replaces the value at `at` (or, when nothing more will do there, its parent's) by its
 * next stand-in: each time a path comes back, the next one. False when no part of the
 * path has one left.
 */
function mend(x: Record<string, unknown>, at: readonly PropertyKey[], replaced: string[], tried: Map<string, number>): boolean {
  if (at.length === 0) return false;
  const parentFields = fieldsAt(scenarioSchema, at.slice(0, -1), x);
  if (parentFields.length > 0 && !parentFields.includes(String(at[at.length - 1]))) {
    // An unknown field: the file is read without it, which is what its problem asks.
    put(x, at, LEAVE_OUT);
    return true;
  }
  for (let k = at.length; k >= 1; k--) {
    const path = at.slice(0, k);
    const s = schemaAt(scenarioSchema, path, x);
    if (s === undefined) continue;
    const now = valueAt(x, path);
    const inList = Array.isArray(valueAt(x, path.slice(0, -1)));
    const options: unknown[] = now !== undefined && !inList && s._zod.optin === 'optional' ? [LEAVE_OUT] : [];
    for (const v of standIns(s)) if (JSON.stringify(v) !== JSON.stringify(now) && accepts(s, v)) options.push(v);
    const key = joinPath(path);
    const n = tried.get(key) ?? 0;
    if (n >= options.length || !put(x, path, options[n])) continue;
    tried.set(key, n + 1);
    if (!replaced.includes(key)) replaced.push(key);
    return true;
  }
  return false;
}

/** True when the part `s` of the schema takes `v` as it stands. */
function accepts(s: NonNullable<ReturnType<typeof schemaAt>>, v: unknown): boolean {
  const r = s['~standard'].validate(v);
  return !(r instanceof Promise) && r.issues === undefined;
}

/** Sets (or with LEAVE_OUT deletes) the value at `at`, making the mappings on the way; false when something on the way is not one. */
function put(x: Record<string, unknown>, at: readonly PropertyKey[], v: unknown): boolean {
  let node: Record<PropertyKey, unknown> = x;
  for (const key of at.slice(0, -1)) {
    if (node[key] === undefined) node[key] = {};
    const next = node[key];
    if (next === null || typeof next !== 'object') return false;
    node = next as Record<PropertyKey, unknown>;
  }
  const last = at[at.length - 1]!;
  if (v === LEAVE_OUT) delete node[last];
  else node[last] = v;
  return true;
}

/**
 * Problems in the order of the file's fields: by each key's place in its mapping (an
 * item's in its list), a field the file lacks after those it has; problems at one path
 * in the order found.
 */
export function inFileOrder(problems: readonly Problem[], file: unknown): Problem[] {
  const rank = (path: string): number[] => {
    const out: number[] = [];
    let node: unknown = file;
    for (const key of path === '' ? [] : path.split('.')) {
      const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
      const i = keys.indexOf(key);
      out.push(i < 0 ? keys.length : i);
      node = i < 0 ? undefined : (node as Record<string, unknown>)[key];
    }
    return out;
  };
  const ranked = problems.map((p, i) => ({ p, i, r: rank(p.path) }));
  ranked.sort((a, b) => {
    for (let k = 0; k < Math.min(a.r.length, b.r.length); k++) if (a.r[k] !== b.r[k]) return a.r[k]! - b.r[k]!;
    return a.r.length - b.r.length || a.i - b.i;
  });
  return ranked.map(({ p }) => ({ path: p.path, message: p.message }));
}
