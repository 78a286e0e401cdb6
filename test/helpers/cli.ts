/**
 * Runs the dynosim command in a child process, as a user would: the compiled executable
 * `dist/dynosim.js` that `npm install` builds and `npm pack` ships (`npm test` builds it
 * first; the executable itself refuses a build older than src/).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The executable the package's `bin` names. */
export const MAIN = fileURLToPath(new URL('../../dist/dynosim.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function dynosim(args: readonly string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
