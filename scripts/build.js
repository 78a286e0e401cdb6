/**
 * `npm run build` (also run by `npm install` in a clone, before `npm pack`, and by
 * `npm test`, `npm run bench` and `npm run results`): src/ into dist/.
 *
 * - esbuild bundles the three entry points, the `dynosim` executable, the library and the
 *   task runner's worker thread, into dist/ with the code they share in chunks beside
 *   them (dependencies stay imports from node_modules). One bundle loads in about two
 *   thirds of the time of one compiled file per source (`npm run bench` times both).
 *   Source maps (without the sources' text) let a stack trace name the TypeScript line.
 * - tsc writes the library's type declarations into dist/types/ (and type-checks src/).
 * - The scenario JSON Schema goes to dist/scenario.schema.json, for editors.
 * - The build stamp is written last: the executable refuses, in a clone, a dist/ without
 *   it or older than any source.
 *
 * Plain JavaScript, not TypeScript, so that it runs on every Node dynosim supports: npm
 * runs `prepare` with whatever Node it finds, which on an install from git can be Node 20.
 *
 * dist/ is flat on purpose: every chunk sits beside the worker (`./worker.js`) and one
 * folder below package.json (`../package.json`), as each source does in src/.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });

await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { dynosim: 'src/interfaces/cli/dynosim.ts', index: 'src/index.ts', worker: 'src/studies/parallel/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(join(DIST, 'dynosim.js'), 0o755);

const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  process.stderr.write('build: tsc failed; dist/ is left without a build stamp\n');
  process.exit(tsc.status ?? 1);
}

const { scenarioJsonSchema } = await import(pathToFileURL(join(DIST, 'index.js')).href);
writeFileSync(join(DIST, 'scenario.schema.json'), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');

// The stamp's name and meaning are src/interfaces/cli/buildStamp.ts's, which the executable checks.
writeFileSync(join(DIST, '.build-stamp'), 'dist/ was compiled from src/ when this file was written\n');
