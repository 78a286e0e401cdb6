/**
 * Problems with a scenario are data ({ path, message }), gathered all at once and thrown
 * together, so that a user sees every mistake in a file in one go.
 */
import type * as z from 'zod';
import { show } from './fields.ts';

export interface Problem {
  /** Field path such as "formation.web.count" ("" for the file as a whole). */
  readonly path: string;
  readonly message: string;
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

/** Turns zod's issues into problems, choosing the branch of a union that the input meant. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], base: ReadonlyArray<PropertyKey> = []): Problem[] {
  const out: Problem[] = [];
  for (const iss of issues) {
    const path = [...base, ...iss.path];
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) out.push({ path: joinPath([...path, key]), message: 'unknown field' });
    } else if (iss.code === 'invalid_union' && iss.errors.length > 0) {
      // The branch whose complaints go deepest is the one the user was writing.
      const branches = iss.errors.filter((b) => b.length > 0);
      const depth = (b: readonly z.core.$ZodIssue[]): number =>
        b.some((i) => i.code !== 'invalid_type' || i.path.length > 0) ? 1 + Math.max(...b.map((i) => i.path.length)) : 0;
      const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a), branches[0]!);
      if (depth(best) === 0) {
        out.push({ path: joinPath(path), message: iss.message === 'Invalid input' ? `unexpected value ${show(iss.input)}` : iss.message });
      } else {
        out.push(...problemsFromIssues(best, path));
      }
    } else {
      out.push({ path: joinPath(path), message: iss.message });
    }
  }
  return out;
}
