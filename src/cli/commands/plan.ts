/** `dynosim plan` (being written). */
import type { Command } from 'commander';

/** Adds `plan` to the program. */
export function registerPlan(program: Command): void {
  void program;
}
