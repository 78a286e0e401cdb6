/**
 * Tests that need a system package (Debian's Chromium, Jupyter's nbconvert), on a machine
 * without it. CI installs them (.ci/run), so there a missing one is a failure; on a
 * developer's machine the file's tests stand aside as one skipped test that says what to
 * install, rather than dozens of failures that each say the same.
 */
import test from 'ava';

/** Whether this is a CI run: CI set to anything but '', 'false' or '0', as CI services set it (CI=true) and scripts/test.ts reads it. */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Whether a file registers the tests that need a system package. `problem` says what is
 * missing (null: nothing is). When something is, outside CI this registers one skipped
 * test titled `skipped`, which names the command that brings the package, and returns
 * false; in CI it returns true, and the tests fail, each saying what is missing.
 */
export function registerSystemTests(problem: string | null, skipped: string): boolean {
  if (problem === null || inCI()) return true;
  test.skip(skipped, (t) => t.pass());
  return false;
}
