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
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });

/** Dependencies left as imports from node_modules: loaded lazily (charts, rate expressions) or native. */
const EXTERNAL = ['mathjs', 'vega', 'vega-lite', 'vega-embed', '@resvg/resvg-js', 'dejavu-fonts-ttf'];
/** Dependencies bundled into dist/, whose licences go with them (dist/THIRD-PARTY-LICENSES.txt). */
const BUNDLED = ['zod', 'yaml', 'commander', 'csv-stringify', 'csv-parse', 'seedrandom'];

await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { dynosim: 'src/interfaces/cli/dynosim.ts', index: 'src/index.ts', worker: 'src/studies/parallel/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The small dependencies every command loads are bundled in: Node then reads one file
  // instead of resolving and compiling dozens (zod alone is some sixty modules), which
  // takes a fifth off the start of every process. The heavy ones stay imports, loaded
  // only on the paths that need them, and so does the native PNG renderer.
  external: EXTERNAL,
  // Bundled CommonJS (commander, seedrandom, yaml) requires Node's own modules.
  banner: { js: "import { createRequire as __dynosimCreateRequire } from 'node:module';\nconst require = __dynosimCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(join(DIST, 'dynosim.js'), 0o755);
writeFileSync(join(DIST, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicences());

const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  process.stderr.write('build: tsc failed; dist/ is left without a build stamp\n');
  process.exit(tsc.status ?? 1);
}

const { scenarioJsonSchema } = await import(pathToFileURL(join(DIST, 'index.js')).href);
writeFileSync(join(DIST, 'scenario.schema.json'), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');

// The stamp's name and meaning are src/interfaces/cli/buildStamp.ts's, which the executable checks.
writeFileSync(join(DIST, '.build-stamp'), 'dist/ was compiled from src/ when this file was written\n');

/** The licence texts of the bundled dependencies, each under its name and version. */
function thirdPartyLicences() {
  const parts = ['Dependencies bundled into dynosim\'s dist/ files, with their licences.\n'];
  for (const name of BUNDLED) {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    // seedrandom has no licence file: its README ends with the licence.
    const text = file !== undefined ? readFileSync(join(dir, file), 'utf8') : readFileSync(join(dir, 'README.md'), 'utf8').split(/^LICENSE \(MIT\)\n-+\n/m)[1];
    if (text === undefined) throw new Error(`build: ${name} has no licence text to ship with its bundled code`);
    parts.push(`\n${'='.repeat(72)}\n${name} ${pkg.version} (${pkg.license})\n${'='.repeat(72)}\n\n${text.trim()}\n`);
  }
  return parts.join('');
}
