/**
 * `npm run notebooks [-- NAME …]`: executes the notebooks in notebooks/ top to bottom with
 * Deno's TypeScript kernel and Jupyter's nbconvert, and writes each back with its outputs
 * (or, with `--out DIR`, into DIR, leaving notebooks/ as it is). Stops at the first
 * notebook that raises, with the error, and exits 1.
 *
 * The kernel is the `deno` npm package's, declared in a kernelspec under node_modules/.cache
 * that JUPYTER_PATH points at: nothing is installed outside the project, and the user's own
 * Deno kernel (`deno jupyter --install`) is not needed. Jupyter itself comes from the system:
 * on Debian, `apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, globSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { executeNotebook, jupyterProblem, prepareKernel } from './notebookKernel.ts';

const ROOT = resolve(import.meta.dirname, '..');
// A reader that stops early (`npm run notebooks | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const args = process.argv.slice(2);
let outDir: string | null = null;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outDir = resolve(args[++i] ?? '.');
  else names.push(args[i]!);
}

const problem = jupyterProblem();
if (problem !== null) {
  process.stderr.write(`npm run notebooks: ${problem}\n`);
  process.exit(2);
}
const env = prepareKernel(ROOT);
const all = globSync('notebooks/*.ipynb', { cwd: ROOT }).sort();
const picked = names.length === 0 ? all : all.filter((f) => names.some((n) => basename(f).startsWith(n)));
if (picked.length === 0) {
  process.stderr.write(`npm run notebooks: no notebook matches ${names.join(', ')} (the notebooks: ${all.map((f) => basename(f, '.ipynb')).join(', ')})\n`);
  process.exit(2);
}
for (const nb of picked) {
  const t0 = performance.now();
  const out = outDir === null ? join(ROOT, nb) : join(outDir, basename(nb));
  const r = executeNotebook(join(ROOT, nb), out, env);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (!r.ok) {
    process.stderr.write(`${nb}: failed after ${s} s\n${r.error}\n`);
    process.exit(1);
  }
  const again = r.attempts > 1 ? ` (executed ${r.attempts} times: the kernel lost an output)` : '';
  process.stdout.write(`${nb}: executed in ${s} s${again}${outDir === null ? '' : `, wrote ${out}`}\n`);
}
if (outDir === null && existsSync(join(ROOT, '.git'))) {
  const st = spawnSync('git', ['status', '--short', 'notebooks'], { cwd: ROOT, encoding: 'utf8' });
  if (st.stdout.trim() !== '') process.stdout.write(`changed:\n${st.stdout}`);
}
