/**
 * What goes between the task runner and its worker threads: a task out, an outcome or an
 * error back. The task is defined here, where it crosses, so that the runner and the wire
 * do not import each other. Errors cross as plain data and are rebuilt on the caller's
 * side as the same kind of error (a ScenarioError stays a ScenarioError, so the command
 * prints it as one line per problem; an InputError stays one).
 */
import { ScenarioError, type Problem } from '../../scenario/problems.ts';
import { InputError } from '../../engine/InputError.ts';
import { FileLimitError } from '../../engine/files.ts';
import type { Outcome } from './outcome.ts';
import type { ScenarioRef } from '../../scenario/load.ts';

/** A scenario file (or a scenario's fields, named by `file`), a variant, overrides and a seed. */
export interface Task extends ScenarioRef {
  readonly variant?: string;
  /** `path=value` overrides, applied after the variant. */
  readonly set: readonly string[];
  readonly seed: number;
}

export interface TaskMessage {
  readonly index: number;
  readonly task: Task;
}

export type WireError =
  | { readonly kind: 'scenario'; readonly file: string; readonly problems: readonly Problem[] }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly stack?: string; readonly code?: string };

export type ResultMessage = { readonly index: number; readonly ok: true; readonly outcome: Outcome } | { readonly index: number; readonly ok: false; readonly error: WireError };

/** An error as plain data. */
export function errorToWire(e: unknown): WireError {
  if (e instanceof ScenarioError) return { kind: 'scenario', file: e.file, problems: e.problems.map((p) => ({ path: p.path, message: p.message })) };
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return { kind: 'error', name: e.name, message: e.message, stack: e.stack, code: typeof code === 'string' ? code : undefined };
  }
  return { kind: 'error', name: 'Error', message: String(e) };
}

/** Input a user can fix stays an InputError (a replayed log's line too long, read in the worker): the command's one line and exit status 2. */
const KINDS: Readonly<Record<string, new (message: string) => Error>> = { Error, RangeError, TypeError, SyntaxError, ReferenceError, EvalError, URIError, InputError, FileLimitError };

/** The error again, of the same kind as it was thrown in the worker. */
export function errorFromWire(w: WireError): Error {
  if (w.kind === 'scenario') return new ScenarioError(w.file, w.problems);
  const Kind = KINDS[w.name] ?? Error;
  const e = new Kind(w.message);
  if (!(w.name in KINDS)) e.name = w.name;
  if (w.code !== undefined) (e as NodeJS.ErrnoException).code = w.code;
  if (w.stack !== undefined) e.stack = `${w.stack}\n    (in a worker thread)`;
  return e;
}
