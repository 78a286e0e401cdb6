#!/usr/bin/env node
/**
 * The `dynosim` executable. Before it loads anything else it checks two things a user can
 * fix, each with one line and exit status 2:
 * - the Node.js version (the `engines` range of package.json), with nothing but `process`
 *   and no syntax newer than Node 12's, so an older Node gets the line instead of a syntax
 *   or import error;
 * - in a clone (compiled code in dist/ with src/ beside it), that the build is not older
 *   than the sources, so nobody runs yesterday's simulator by mistake. An installed
 *   package has no src/ and skips this.
 * Then it turns on Node's compile cache (Node 22.1 and later; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off), so that a second process parses the code from the cache, about 35 ms
 * sooner. `dynosim --version` alone is answered from package.json without loading the
 * commands (0.04 s instead of 0.16). Otherwise it loads the command. With DYNOSIM_DEBUG
 * set, source maps are turned on first, so a stack trace names the TypeScript file and line.
 *
 * Only dynamic imports, and no top-level await: static imports would be loaded, and the
 * module parsed, before the checks run.
 */

/** The oldest Node.js major version dynosim runs on (package.json's `engines.node`). */
const MIN_NODE_MAJOR = 20;

function fail(line: string): never {
  process.stderr.write(`dynosim: ${line}\n`);
  process.exit(2);
}

const major = Number(process.versions.node.split('.')[0]);
if (!(major >= MIN_NODE_MAJOR)) {
  fail(`needs Node.js ${MIN_NODE_MAJOR} or later; this is Node.js ${process.versions.node} (${process.execPath})`);
}

async function start(): Promise<void> {
  // Compiled (dist/dynosim.js) in a clone: refuse a build older than the sources.
  if (import.meta.url.endsWith('.js')) {
    const { staleBuild } = await import('./buildStamp.ts');
    const stale = staleBuild(new URL('..', import.meta.url));
    if (stale !== null) fail(`${stale}: run "npm run build" (npm install runs it too)`);
  }
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    // What commander prints for it, without loading commander and every command.
    const { VERSION } = await import('../../engine/version.ts');
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (process.env['DYNOSIM_DEBUG']) process.setSourceMapsEnabled(true);
  await import('./main.ts');
}

void start();
