/**
 * Problems with a scenario are data ({ path, message }), gathered all at once and thrown
 * together, so that a user sees every mistake in a file in one go.
 */
import type * as z from 'zod';
import { show } from './fields.ts';
import { fieldsAt } from './walk.ts';
import { didYouMean } from '../../engine/suggest.ts';

export interface Problem {
  /** Field path such as "formation.web.count" ("" for the file as a whole). */
  readonly path: string;
  readonly message: string;
  /**
   * The other fields the check that found it read, when they are not under `path`: a
   * problem is only reported when none of them (nor `path`) has a problem of its own,
   * since the check then ran on a stand-in for the field (see load.ts).
   */
  readonly needs?: readonly string[];
}

/** Thrown when a scenario cannot be run; `lines()` gives one line per problem, naming the file. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly problems: readonly Problem[];

  constructor(file: string, problems: readonly Problem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ScenarioError';
    this.file = file;
    this.problems = problems;
  }

  lines(): string[] {
    return this.problems.map((p) => formatProblem(this.file, p));
  }
}

export function formatProblem(file: string, p: Problem): string {
  return p.path === '' ? `${file}: ${p.message}` : `${file}: ${p.path}: ${p.message}`;
}

export function joinPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const k of path) {
    // List items by index, as --set writes them: events.0.at
    out += out === '' ? String(k) : `.${String(k)}`;
  }
  return out;
}

/** What the schema describes and the value it read: where an unknown field finds the fields it may have meant. */
export interface Checked {
  readonly schema: z.core.$ZodType;
  readonly input: unknown;
}

/** A problem whose path is still a list of keys (a key may hold a dot). */
export interface IssueProblem {
  readonly at: readonly PropertyKey[];
  readonly message: string;
  readonly needs?: readonly string[];
}

/** Turns zod's issues into problems, choosing the branch of a union that the input meant; with `checked`, an unknown field names the known one nearest to it. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], base: ReadonlyArray<PropertyKey> = [], checked?: Checked): Problem[] {
  return issueProblems(issues, base, checked).map((p) => ({ path: joinPath(p.at), message: p.message, ...(p.needs === undefined ? {} : { needs: p.needs }) }));
}

/** problemsFromIssues with the paths as lists of keys. */
export function issueProblems(issues: readonly z.core.$ZodIssue[], base: ReadonlyArray<PropertyKey> = [], checked?: Checked): IssueProblem[] {
  const out: IssueProblem[] = [];
  for (const iss of issues) {
    const path = [...base, ...iss.path];
    if (iss.code === 'unrecognized_keys') {
      const known = checked === undefined ? [] : fieldsAt(checked.schema, path, checked.input);
      for (const key of iss.keys) out.push({ at: [...path, key], message: `unknown field${didYouMean(key, known)}` });
    } else if (iss.code === 'invalid_union' && iss.errors.length > 0) {
      // The branch whose complaints go deepest is the one the user was writing.
      const branches = iss.errors.filter((b) => b.length > 0);
      const depth = (b: readonly z.core.$ZodIssue[]): number =>
        b.some((i) => i.code !== 'invalid_type' || i.path.length > 0) ? 1 + Math.max(...b.map((i) => i.path.length)) : 0;
      const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a), branches[0]!);
      if (depth(best) === 0) {
        out.push({ at: path, message: iss.message === 'Invalid input' ? `unexpected value ${show(iss.input)}` : iss.message });
      } else {
        out.push(...issueProblems(best, path, checked));
      }
    } else {
      const needs = iss.code === 'custom' ? (iss.params as { needs?: readonly string[] } | undefined)?.needs : undefined;
      out.push({ at: path, message: iss.message, ...(needs === undefined ? {} : { needs }) });
    }
  }
  return out;
}
