/**
 * Problems with a scenario, gathered all at once and thrown together in a ScenarioError
 * (defined in schema/problems.ts, below both the schema and resolving, which report them).
 */
export { ScenarioError, formatProblem, issueProblems, joinPath, problemsFromIssues, type Problem } from './schema/problems.ts';
