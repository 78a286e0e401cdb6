/**
 * Reading a scenario from disk: YAML or JSON, `--set` overrides, validation against the
 * schema, and resolution. Every problem found comes back at once in a ScenarioError
 * whose lines name the file and the field.
 */
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import { type ServiceSpec } from './schema.ts';
import { ScenarioError, type Problem } from './problems.ts';
import { checkFields, inFileOrder, standsIn } from './check.ts';
import { calendarOf, resolveScenario, type ExpressionCompiler } from './resolve.ts';
import { type Scenario } from '../model/Scenario.ts';
import { rateCompiler } from '../model/traffic/rate/expression.ts';
import { probeReplay } from '../model/traffic/replay/probe.ts';
import { DEFAULT_PROFILE } from '../model/platform/profiles.ts';
import { FileLimitError, MAX_LINE_BYTES, MIB, readTextFile, type TextLimits } from '../engine/files.ts';

/** A scenario file: 16 MiB at most, 1 MiB a line (JSON written on one line included). */
export const SCENARIO_FILE_LIMITS: TextLimits = { maxBytes: 16 * MIB, maxLineBytes: 1 * MIB };
/** A file of service-time samples (`distribution: empirical`): 64 MiB at most, MAX_LINE_BYTES (64 KiB) a line. */
export const SAMPLE_FILE_LIMITS: TextLimits = { maxBytes: 64 * MIB, maxLineBytes: MAX_LINE_BYTES };

export interface LoadOptions {
  /** `path=value` overrides; the value is read as YAML, so numbers stay numbers. */
  set?: readonly string[];
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Runs one of the scenario's `variants` (its fields laid over the base's). */
  variant?: string;
  /**
   * The study loading the scenario (compare, sweep, plan): `warmup: auto` is then a
   * problem of the file. A study sets all its runs over one fixed window, and a warm-up
   * detected run by run would give each alternative, point and replication its own.
   */
  study?: string;
}

/** The problem of `warmup: auto` in a study. */
export function autoWarmupInStudy(study: string): Problem {
  return {
    path: 'warmup',
    message: `auto is detected by dynosim run, not in ${study}, whose runs are compared over one fixed window: run the scenario with dynosim run and give the warm-up it detects (summary.json warmup.detectedS) as a duration`,
  };
}

/** Loads, validates and resolves a scenario file; throws ScenarioError listing every problem. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Scenario> {
  const label = basename(file);
  return scenarioFromObject(readScenarioFile(file), { ...options, label, baseDir: dirname(resolvePath(file)) });
}

/**
 * A scenario to load: a file, or, with `fields`, the fields themselves (what a notebook or
 * a program builds), `file` then only naming it in messages and relative paths in it
 * (samples, replayed logs) resolving from `baseDir` (default: the current folder).
 * Plain data, so that worker threads can take it.
 */
export interface ScenarioRef {
  readonly file: string;
  readonly fields?: unknown;
  readonly baseDir?: string;
}

/** Loads, validates and resolves a scenario from a file or from its fields. */
export async function loadRef(ref: ScenarioRef, options: LoadOptions = {}): Promise<Scenario> {
  if (ref.fields === undefined) return loadScenario(ref.file, options);
  return scenarioFromObject(ref.fields, { ...options, label: ref.file, baseDir: ref.baseDir });
}

/** The fields of a scenario reference, read from its file if need be (not yet validated). */
export function refFields(ref: ScenarioRef): unknown {
  return ref.fields === undefined ? readScenarioFile(ref.file) : ref.fields;
}

/** The parsed YAML or JSON of a scenario file, not yet validated; throws ScenarioError naming the file. */
export function readScenarioFile(file: string): unknown {
  const label = basename(file);
  let textIn: string;
  try {
    textIn = readTextFile(file, SCENARIO_FILE_LIMITS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      e instanceof FileLimitError
        ? `${e.message} (is it a scenario file?)`
        : code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'is a folder, not a scenario file'
            : `cannot be read (${code ?? String(e)})`;
    throw new ScenarioError(file, [{ path: '', message: why }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(textIn, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message.split('\n')[0]!.replace(/:$/, '') : String(e);
    throw new ScenarioError(label, [{ path: '', message: `not valid YAML or JSON: ${msg}` }]);
  }
  return raw;
}

/** The names of a scenario's variants, in the order written (none: an empty list). */
export function variantNames(raw: unknown): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const v = (raw as Record<string, unknown>)['variants'];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}

/**
 * The scenario with variant `name` laid over it: mappings merge field by field, anything
 * else (a list, a number, a text) replaces the base's, and null removes the field.
 */
export function withVariant(raw: Record<string, unknown>, name: string, label: string): Record<string, unknown> {
  const names = variantNames(raw);
  if (!names.includes(name)) {
    const known = names.length === 0 ? 'it has no variants' : `its variants are ${names.join(', ')}`;
    throw new ScenarioError(label, [{ path: 'variants', message: `no variant named ${JSON.stringify(name)} (${known})` }]);
  }
  const overlay = (raw['variants'] as Record<string, unknown>)[name];
  const base = { ...raw };
  delete base['variants'];
  if (overlay === null || typeof overlay !== 'object' || Array.isArray(overlay)) return base; // the schema reports it
  const merged = mergeFields(base, overlay as Record<string, unknown>);
  // A variant's results go beside the base's: name.variant, unless it names itself.
  if (!('name' in overlay) && typeof base['name'] === 'string') merged['name'] = `${base['name']}.${name}`;
  return merged;
}

function mergeFields(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v === null) delete out[k];
    else if (isMapping(v) && isMapping(b)) out[k] = mergeFields(b, v);
    else out[k] = v;
  }
  return out;
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Validates and resolves a scenario given as a plain object (what a YAML file holds). */
export async function scenarioFromObject(
  raw: unknown,
  options: LoadOptions & { label?: string; baseDir?: string } = {},
): Promise<Scenario> {
  const label0 = options.label ?? 'scenario';
  const problems: Problem[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError(label0, [{ path: '', message: 'expected a mapping of fields (name, duration, formation, traffic, ...)' }]);
  }
  const label = options.variant === undefined ? label0 : `${label0} (variant ${options.variant})`;
  const obj = structuredClone(options.variant === undefined ? raw : withVariant(raw as Record<string, unknown>, options.variant, label0)) as Record<string, unknown>;
  for (const assignment of options.set ?? []) applySet(obj, assignment, problems);
  if (options.seed !== undefined) obj['seed'] = options.seed;
  // Every field is checked, a wrong one replaced by a stand-in so that the rest can be resolved (check.ts).
  const checked = checkFields(obj);
  problems.push(...checked.problems);
  if (checked.data === undefined) throw new ScenarioError(label, inFileOrder(problems, obj));
  const data = checked.data;
  if (options.study !== undefined && data.warmup === 'auto') problems.push(autoWarmupInStudy(options.study));
  const found: Problem[] = [];
  // Replayed traffic starts the calendar at its first arrival, unless the scenario says otherwise.
  const baseDir = options.baseDir ?? '.';
  const r = data.traffic?.replay;
  const probe = r === undefined ? undefined : typeof r === 'string' ? replayProbe(baseDir, r, 'auto') : replayProbe(baseDir, r.file, r.format, r.reorderWindow);
  const replayStartMs = probe === undefined || typeof probe === 'string' ? undefined : typeof r === 'object' && r.from !== undefined ? r.from : Math.floor(probe.firstArrivalMs / 1000) * 1000;
  const calendar = calendarOf(data, found, replayStartMs);
  const rate = data.traffic?.rate;
  const compileRate: ExpressionCompiler = rate !== undefined && needsExpression(rate) ? await rateCompiler(calendar) : () => 'unused';
  let scenario: Scenario;
  try {
    scenario = resolveScenario(
      data,
      obj,
      { readSamples: sampleReader(baseDir), compileRate, calendar, probeReplay: (file, format, reorderWindowUs) => replayProbe(baseDir, file, format, reorderWindowUs) },
      found,
    );
  } catch (e) {
    // A stand-in may lead a resolver where no file can: the file's own problems are what to report.
    if (checked.standIns.length === 0) throw e;
    throw new ScenarioError(label, inFileOrder(problems, obj));
  }
  // What the resolvers found about a stand-in, or with one, is not the file's.
  problems.push(...found.filter((p) => !standsIn(p, checked.standIns)));
  if (problems.length > 0) throw new ScenarioError(label, inFileOrder(problems, obj));
  return scenario;
}

/** Applies `a.b.c=value` to a scenario object. */
export function applySet(obj: Record<string, unknown>, assignment: string, problems: Problem[]): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    problems.push({ path: '', message: `--set expects path=value, got ${JSON.stringify(assignment)}` });
    return;
  }
  const path = assignment.slice(0, eq).trim().split('.');
  let value: unknown;
  try {
    value = parseYaml(assignment.slice(eq + 1));
  } catch {
    value = assignment.slice(eq + 1);
  }
  // A platform named by its profile is opened into the mapping that overrides it
  // (`--set platform.limits.dynosPerApp=1000` on `platform: heroku-2013`).
  if (path.length > 1 && path[0] === 'platform' && (obj['platform'] === undefined || typeof obj['platform'] === 'string')) {
    obj['platform'] = { profile: obj['platform'] ?? DEFAULT_PROFILE };
  }
  // Lists are entered by index (events.0.at).
  let node: Record<string, unknown> = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== 'object') {
      problems.push({ path: path.join('.'), message: `--set cannot go inside ${key}, which is not a mapping or a list` });
      return;
    }
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node) && !(/^\d+$/.test(last) && Number(last) <= node.length)) {
    problems.push({ path: path.join('.'), message: `--set into a list of ${node.length} needs an index from 0 to ${node.length}` });
    return;
  }
  node[last] = value;
}

function needsExpression(rate: string): boolean {
  return !/^\s*[\d.]+\s*\/\s*[a-z]+\s*$/.test(rate);
}

/** Checks a replay file before the run: it exists and has a usable line; and when its first request in place arrived. */
function replayProbe(baseDir: string, file: string, format: 'auto' | 'router' | 'csv', reorderWindowUs?: number): { path: string; firstArrivalMs: number } | string {
  const path = resolvePath(baseDir, file);
  const probe = probeReplay(path, format, reorderWindowUs);
  return typeof probe === 'string' ? probe : { path, firstArrivalMs: probe.firstArrivalMs };
}

function sampleReader(baseDir: string) {
  return (spec: Extract<ServiceSpec, { distribution: 'empirical' }>): Float64Array | string => {
    const file = resolvePath(baseDir, spec.file);
    let text: string;
    try {
      text = readTextFile(file, SAMPLE_FILE_LIMITS);
    } catch (e) {
      if (e instanceof FileLimitError) return `${spec.file}: ${e.message} (is it a CSV of service times?)`;
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? `no such file: ${spec.file}` : `cannot read ${spec.file} (${code ?? String(e)})`;
    }
    let rows: string[][];
    try {
      rows = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: true });
    } catch (e) {
      return `${spec.file} is not valid CSV: ${(e as Error).message}`;
    }
    if (rows.length === 0) return `${spec.file} holds no samples`;
    let col = 0;
    let first = 0;
    const header = rows[0]!;
    const isHeader = header.some((cell) => cell !== '' && !Number.isFinite(Number(cell)));
    if (isHeader) {
      first = 1;
      if (spec.column !== undefined) {
        col = header.indexOf(spec.column);
        if (col < 0) return `${spec.file} has no column ${JSON.stringify(spec.column)} (it has ${header.join(', ')})`;
      }
    } else if (spec.column !== undefined) {
      return `${spec.file} has no header row, so it has no column ${JSON.stringify(spec.column)}`;
    }
    const scale = spec.unit === 's' ? 1e6 : spec.unit === 'ms' ? 1e3 : 1;
    const out = new Float64Array(rows.length - first);
    for (let i = first; i < rows.length; i++) {
      const v = Number(rows[i]![col]);
      if (!Number.isFinite(v) || v < 0) return `${spec.file} line ${i + 1}: expected a service time of at least 0, got ${JSON.stringify(rows[i]![col] ?? '')}`;
      out[i - first] = v * scale;
    }
    if (out.length === 0) return `${spec.file} holds no samples`;
    return out;
  };
}
