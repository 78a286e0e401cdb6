/** `dynosim sweep` (being written). */
import type { Command } from 'commander';

/** Adds `sweep` to the program. */
export function registerSweep(program: Command): void {
  void program;
}
