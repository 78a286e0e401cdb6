/** `dynosim compare` (being written). */
import type { Command } from 'commander';

/** Adds `compare` to the program. */
export function registerCompare(program: Command): void {
  void program;
}
