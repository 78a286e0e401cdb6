/**
 * The schema read as a map of the file: the part of it that describes a field path (for
 * the known fields an unknown one is compared with), and a value that part accepts (a
 * stand-in, so that the rest of a file with a wrong field can still be checked).
 */
import type * as z from 'zod';

type Schema = z.core.$ZodType;
/** What zod keeps of a schema: its kind and, by kind, its parts. */
interface Def {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly getter?: () => Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly valueType?: Schema;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly entries?: Readonly<Record<string, string>>;
  readonly values?: readonly unknown[];
}

function def(s: Schema): Def {
  return s._zod.def as unknown as Def;
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The schema under its wrappers (optional, default, lazy, the input side of a transform). */
export function unwrap(s: Schema): Schema {
  for (;;) {
    const d = def(s);
    if (d.innerType !== undefined) s = d.innerType;
    else if (d.type === 'lazy') s = d.getter!();
    else if (d.type === 'pipe') s = d.in!;
    else return s;
  }
}

/** The mapping branch of a union that `input` is written in: the one whose discriminator it gives, else the one sharing most of its keys. */
function branchOf(union: Schema, input: unknown): Schema | undefined {
  if (!isMapping(input)) return undefined;
  const d = def(union);
  const objects = d.options!.map(unwrap).filter((o) => def(o).type === 'object');
  const tag = d.discriminator;
  if (tag !== undefined) {
    const named = objects.find((o) => {
      const field = def(o).shape![tag];
      return field !== undefined && (def(unwrap(field)).values ?? []).includes(input[tag]);
    });
    if (named !== undefined) return named;
  }
  let best: Schema | undefined;
  let shared = 0;
  for (const o of objects) {
    const n = Object.keys(input).filter((k) => Object.hasOwn(def(o).shape!, k)).length;
    if (n > shared) [best, shared] = [o, n];
  }
  return best;
}

/** The part of `root` that describes the value at `path` of `input` (wrappers kept), or undefined past what the schema says. */
export function schemaAt(root: Schema, path: readonly PropertyKey[], input: unknown): Schema | undefined {
  let s = root;
  let x = input;
  for (const key of path) {
    let u: Schema | undefined = unwrap(s);
    if (def(u).type === 'union') u = branchOf(u, x);
    if (u === undefined) return undefined;
    const d = def(u);
    const next = d.type === 'object' ? (Object.hasOwn(d.shape!, key) ? d.shape![key as string] : undefined) : d.type === 'record' ? d.valueType : d.type === 'array' ? d.element : undefined;
    if (next === undefined) return undefined;
    s = next;
    x = isMapping(x) || Array.isArray(x) ? (x as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return s;
}

/** The fields a mapping at `path` of `input` may have (none known: an empty list). */
export function fieldsAt(root: Schema, path: readonly PropertyKey[], input: unknown): string[] {
  const s = schemaAt(root, path, input);
  if (s === undefined) return [];
  let u: Schema | undefined = unwrap(s);
  if (def(u).type === 'union') u = branchOf(u, valueAt(input, path));
  return u !== undefined && def(u).type === 'object' ? Object.keys(def(u).shape!) : [];
}

/** The value at `path` of `input` (undefined where it is not there). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let x = input;
  for (const key of path) x = isMapping(x) || Array.isArray(x) ? (x as Record<PropertyKey, unknown>)[key] : undefined;
  return x;
}

/** Texts tried for a string field, in order: a duration, a name, a memory size and rate, a rate, an instant. */
const TEXTS = ['1s', 'x', '1MB', '1MB/h', '1/s', '2013-03-01T00:00:00Z'];

/**
 * Values the part `s` of the schema accepts, simplest first: each field it requires given
 * one of its own stand-ins, the optional ones left out. Checked against `s` by the caller.
 */
export function standIns(s: Schema, depth = 0): unknown[] {
  if (depth > 8) return [];
  const d = def(s);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return standIns(d.innerType!, depth);
    case 'lazy':
      return standIns(d.getter!(), depth);
    case 'pipe':
      return standIns(d.in!, depth);
    case 'string':
      return TEXTS;
    case 'number':
      return [0, 1, 2];
    case 'boolean':
      return [false];
    case 'enum':
      return Object.values(d.entries!).slice(0, 1);
    case 'literal':
      return d.values!.slice(0, 1);
    case 'array':
      return [[]];
    case 'record':
      return [{}];
    case 'union':
      return d.options!.flatMap((o) => standIns(o, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, field] of Object.entries(d.shape!)) {
        if (field._zod.optin === 'optional') continue;
        const first = standIns(field, depth + 1).find((v) => (field as z.ZodType).safeParse(v).success);
        if (first === undefined) return [];
        out[k] = first;
      }
      return [out];
    }
    default:
      return [];
  }
}
