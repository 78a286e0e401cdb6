/**
 * dynosim as a package: the compiled executable on every supported Node, the refusal of an
 * older one, the tarball `npm pack` makes, and that tarball installed globally into a
 * scratch prefix, run from an unrelated folder and imported as a library with its types.
 *
 * Node 20 is the machine's own where it is 20 (the Node that runs npm); Node 22 and, where
 * the machine's is not 20, Node 20 come from the npm packages `node@22`/`node@20`, installed
 * once into node_modules/.cache (so the first run needs the npm registry, as `npm install`
 * does). Node 24 is the one the dev dependency `node@24` puts first on the PATH.
 *
 * `npm test` builds dist/ before ava starts; this file packs with --ignore-scripts, since
 * `prepare` would rebuild dist/ under the other test files that are running it.
 */
import test from 'ava';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { MAIN, ROOT } from './helpers/cli.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CACHE = join(ROOT, 'node_modules/.cache/dynosim-test-node');
const SCRATCH = mkdtempSync(join(tmpdir(), 'dynosim-package-'));
test.after.always(() => rmSync(SCRATCH, { recursive: true, force: true }));

/** The environment without npm's own variables of the `npm test` that started us. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

function major(node: string): number {
  return Number(execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.')[0]);
}

/** The Node that runs npm (the machine's own), or null when it is the one running this file. */
function machineNode(): string | null {
  const fromNpm = process.env['npm_node_execpath'];
  if (fromNpm !== undefined && existsSync(fromNpm)) return fromNpm;
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** A Node of this major version: the machine's or ours when they are that version, else the npm package `node@N`. */
function nodeOf(wanted: number): string {
  for (const candidate of [process.execPath, machineNode()]) if (candidate !== null && major(candidate) === wanted) return candidate;
  const dir = join(CACHE, String(wanted));
  const bin = join(dir, 'node_modules/node/bin/node');
  if (existsSync(bin) && major(bin) === wanted) return bin;
  mkdirSync(dir, { recursive: true });
  // The package's preinstall fetches the platform's binary; npm runs it only where allowScripts says so.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }) + '\n');
  const r = spawnSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', `node@${wanted}`], { cwd: dir, encoding: 'utf8', env: cleanEnv() });
  if (r.status !== 0 || !existsSync(bin)) throw new Error(`npm install node@${wanted} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  return bin;
}

function ok(t: { fail: (m: string) => void }, r: SpawnSyncReturns<string>, what: string): void {
  if (r.status !== 0) t.fail(`${what}: exit ${r.status ?? r.signal}\n${r.stderr}${r.stdout}`);
}

/** Every file under `dir`, relative, in name order, with its bytes; run.json (wall-clock figures) left out. */
function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'run.json') out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const RUN_ARGS = ['run', 'scenarios/two-web-dynos.yaml', '--set', 'duration=2h', '--no-progress', '--quiet'];
const runs = new Map<number, Map<string, Buffer>>();

for (const wanted of [24, 22, 20]) {
  test.serial(`the executable runs on Node ${wanted}${wanted === 24 ? '' : ', with the same bytes as on Node 24'}`, (t) => {
    const node = nodeOf(wanted);
    const version = spawnSync(node, [MAIN, '--version'], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
    ok(t, version, `--version on ${node}`);
    t.is(version.stdout, `${VERSION}\n`);
    const out = join(SCRATCH, `node${wanted}`);
    const r = spawnSync(node, [MAIN, ...RUN_ARGS, '--out', out], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
    ok(t, r, `run on Node ${wanted}`);
    const files = filesOf(out);
    t.true(files.has('summary.json') && files.has('report.html') && files.has('charts/latency.png'), [...files.keys()].join(', '));
    runs.set(wanted, files);
    const base = runs.get(24);
    if (base === undefined) return t.is(wanted, 24);
    t.deepEqual([...files.keys()], [...base.keys()]);
    for (const [name, bytes] of files) t.true(bytes.equals(base.get(name)!), `${name} differs between Node ${wanted} and Node 24`);
    t.log(`Node ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}: ${files.size} files, byte-identical to Node 24's`);
  });
}

test.serial('an older Node gets one line naming the version needed, and exit 2', (t) => {
  const node = nodeOf(18);
  const r = spawnSync(node, [MAIN, 'run', 'scenarios/two-web-dynos.yaml'], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
  t.is(r.status, 2);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^dynosim: needs Node\.js 20 or later; this is Node\.js 18\.\d+\.\d+ \(.+\)\n$/);
});

test.serial('a build older than the sources is refused, with the command that fixes it', (t) => {
  // A copy of the clone's layout: the stamp, then a source written after it.
  const root = join(SCRATCH, 'stale');
  mkdirSync(join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'src/model/run'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'dist'))) if (f.endsWith('.js')) copyFileSync(join(ROOT, 'dist', f), join(root, 'dist', f));
  copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  const bin = join(root, 'dist/dynosim.js');
  let r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  t.is(r.status, 2);
  t.is(r.stderr, 'dynosim: dist/ has no complete build: run "npm run build" (npm install runs it too)\n');
  // The stamp an hour old, a source written now.
  const stamp = join(root, 'dist/.build-stamp');
  copyFileSync(join(ROOT, 'dist/.build-stamp'), stamp);
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(stamp, hourAgo, hourAgo);
  writeFileSync(join(root, 'src/model/run/simulate.ts'), '// newer than the build\n');
  r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  t.is(r.status, 2);
  t.is(r.stderr, `dynosim: dist/ is older than ${join('src', 'model', 'run', 'simulate.ts')}: run "npm run build" (npm install runs it too)\n`);
  // Built after the sources: it runs.
  const later = new Date(Date.now() + 60_000);
  utimesSync(stamp, later, later);
  r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  t.is(r.stderr, '');
  t.is(r.stdout, `${VERSION}\n`);
});

let tarball = '';

test.serial('npm pack gives a lean tarball: compiled code, types, schema, README, licence and the scenarios', (t) => {
  const dest = join(SCRATCH, 'pack');
  mkdirSync(dest);
  const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
  ok(t, r, 'npm pack');
  const [info] = JSON.parse(r.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  tarball = join(dest, info!.filename);
  const files = info!.files.map((f) => f.path).sort();
  for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/dynosim.js', 'dist/index.js', 'dist/worker.js', 'dist/index.js.map', 'dist/types/index.d.ts', 'dist/scenario.schema.json', 'scenarios/two-web-dynos.yaml']) {
    t.true(files.includes(f), `${f} is not in the tarball`);
  }
  const stray = files.filter((f) => /^(src|test|results|notebooks|scripts|node_modules|\.ci|\.bench)\//.test(f) || f.endsWith('.build-stamp') || f.startsWith('tsconfig'));
  t.deepEqual(stray, []);
  t.true(info!.size < 2_000_000, `tarball ${info!.size} bytes`);
  t.log(`${info!.filename}: ${(info!.size / 1e3).toFixed(0)} kB packed, ${(info!.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${files.length} files`);
  const schema = JSON.parse(readFileSync(join(ROOT, 'dist/scenario.schema.json'), 'utf8')) as unknown;
  const printed = spawnSync(process.execPath, [MAIN, 'schema'], { encoding: 'utf8' });
  t.deepEqual(schema, JSON.parse(printed.stdout));
});

test.serial('installed globally from the tarball, it runs from any folder and imports as a library with its types', (t) => {
  if (tarball === '') return t.fail('no tarball: the pack test failed');
  const prefix = join(SCRATCH, 'global');
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd: SCRATCH, encoding: 'utf8', env: cleanEnv() });
  ok(t, install, 'npm install -g --prefix');
  const node20 = nodeOf(20);
  // The installed command finds `node` on the PATH, as a user's shell would: Node 20 here.
  const env = cleanEnv({ PATH: [join(prefix, 'bin'), dirname(node20), process.env['PATH'] ?? ''].join(delimiter) });

  const app = join(SCRATCH, 'my-app');
  mkdirSync(app);
  copyFileSync(join(ROOT, 'scenarios/two-web-dynos.yaml'), join(app, 'two-web-dynos.yaml'));
  const dynosim = join(prefix, 'bin', 'dynosim');
  const version = spawnSync(dynosim, ['--version'], { cwd: app, encoding: 'utf8', env });
  ok(t, version, 'dynosim --version');
  t.is(version.stdout, `${VERSION}\n`);
  const run = spawnSync(dynosim, ['run', 'two-web-dynos.yaml', '--set', 'duration=2h', '--no-progress', '--quiet'], { cwd: app, encoding: 'utf8', env });
  ok(t, run, 'dynosim run in the app folder');
  const results = join(app, 'results/two-web-dynos');
  t.true(existsSync(join(results, 'summary.json')), 'results land under the folder it runs in');
  const fromClone = runs.get(20) ?? runs.get(24);
  if (fromClone !== undefined) {
    for (const [name, bytes] of filesOf(results)) if (name !== 'report.html') t.true(bytes.equals(fromClone.get(name)!), `${name} differs from the clone's run`);
  }

  // The library: a scratch ESM project that depends on the installed package.
  const lib = join(SCRATCH, 'lib-user');
  mkdirSync(join(lib, 'node_modules'), { recursive: true });
  symlinkSync(join(prefix, 'lib/node_modules/dynosim'), join(lib, 'node_modules/dynosim'));
  copyFileSync(join(ROOT, 'scenarios/two-web-dynos.yaml'), join(lib, 'two-web-dynos.yaml'));
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ private: true, type: 'module' }) + '\n');
  const code = [
    "import { run, VERSION, theory } from 'dynosim';",
    "const r = await run('two-web-dynos.yaml', { set: ['duration=2h'], charts: false });",
    'console.log(JSON.stringify({ version: VERSION, arrived: r.summary.requests.arrived, mm1: theory.mm1 !== undefined }));',
  ];
  writeFileSync(join(lib, 'use.mjs'), code.join('\n') + '\n');
  const used = spawnSync(node20, ['use.mjs'], { cwd: lib, encoding: 'utf8', env: cleanEnv() });
  ok(t, used, 'importing the library on Node 20');
  const summary = JSON.parse(readFileSync(join(results, 'summary.json'), 'utf8')) as { requests: { arrived: number } };
  t.deepEqual(JSON.parse(used.stdout), { version: VERSION, arrived: summary.requests.arrived, mm1: true });

  // Its types: a TypeScript file that uses them, and one misuse that must not type-check.
  writeFileSync(
    join(lib, 'use.ts'),
    [
      "import { run, type Run, type RunOptions } from 'dynosim';",
      "const opts: RunOptions = { set: ['duration=2h'], charts: false };",
      "const r: Run = await run('two-web-dynos.yaml', opts);",
      'const arrived: number = r.summary.requests.arrived;',
      '// @ts-expect-error: a scenario is a file name, its fields or a resolved scenario, never a number',
      'await run(42);',
      'export { arrived };',
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(lib, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] }, files: ['use.ts'] }) + '\n',
  );
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(lib, 'tsconfig.json')], { cwd: lib, encoding: 'utf8' });
  t.is(tsc.status, 0, tsc.stdout + tsc.stderr);
});
