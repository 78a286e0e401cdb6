/**
 * Running the notebooks: Deno's TypeScript kernel (from the `deno` npm package) declared in
 * a kernelspec inside node_modules/.cache, and Jupyter's nbconvert from the system to
 * execute a notebook top to bottom. Shared by `npm run notebooks` and the notebook tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/** The Debian packages that bring nbconvert and what it executes notebooks with. */
export const JUPYTER_PACKAGES = ['jupyter-nbconvert', 'python3-nbclient', 'jupyter-client', 'python3-ipykernel'];

/** Why notebooks cannot be executed here (nbconvert missing), or null. */
export function jupyterProblem(): string | null {
  const r = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    return `Jupyter's nbconvert is not installed (on Debian or Ubuntu: apt-get install ${JUPYTER_PACKAGES.join(' ')}; .ci/run installs them)`;
  }
  return null;
}

/**
 * Writes the kernelspec (name `deno`, as `deno jupyter --install` names it, so the
 * notebooks' metadata suits both) and returns the environment that makes Jupyter find it
 * first. The kernel runs the project's Deno with colour off (plain text outputs), no update
 * check, and its cache in node_modules/.cache.
 */
export function prepareKernel(root: string): NodeJS.ProcessEnv {
  const require = createRequire(join(root, 'package.json'));
  const pkg = dirname(require.resolve('deno/package.json'));
  const binary = join(pkg, process.platform === 'win32' ? 'deno.exe' : 'deno');
  const command = existsSync(binary) ? [binary] : [process.execPath, join(pkg, 'bin.cjs')];
  const cache = join(root, 'node_modules/.cache/dynosim-notebooks');
  const kernelDir = join(cache, 'jupyter/kernels/deno');
  mkdirSync(kernelDir, { recursive: true });
  const spec = {
    argv: [...command, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno',
    language: 'typescript',
    env: { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(cache, 'deno') },
  };
  writeFileSync(join(kernelDir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  const jupyterPath = [join(cache, 'jupyter'), process.env['JUPYTER_PATH']].filter((x) => x !== undefined && x !== '').join(':');
  return { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
}

export type Execution = { ok: true; attempts: number } | { ok: false; error: string };

/**
 * Cells that lost an output on its way: code cells after the first (the app's fields) that
 * show nothing, or, given the notebook as committed, cells showing fewer outputs than it does.
 */
export function silentCells(notebook: string, expected?: string): number[] {
  type Cells = { cells: Array<{ cell_type: string; outputs?: unknown[] }> };
  const cells = (file: string): Cells['cells'] => (JSON.parse(readFileSync(file, 'utf8')) as Cells).cells;
  const got = cells(notebook);
  const want = expected === undefined ? null : cells(expected);
  const shown = (c: Cells['cells'][number] | undefined): number => c?.outputs?.length ?? 0;
  const code = got.flatMap((c, i) => (c.cell_type === 'code' ? [{ c, i }] : []));
  return code.slice(1).filter(({ c, i }) => shown(c) === 0 || (want !== null && shown(c) < shown(want[i]))).map(({ i }) => i);
}

/**
 * Executes `input` top to bottom (cells run in the notebook's folder) and writes it with
 * its outputs to `output` (which may be `input`). No timing metadata is recorded, so the
 * same notebook gives the same file. Deno's kernel can report a cell done before its
 * output has left (src/notebook/display.ts waits for it); should an output still be lost
 * (a cell shows nothing, or fewer outputs than `expected`, the notebook as committed, shows),
 * the notebook is executed again, three times at most.
 */
export function executeNotebook(input: string, output: string, env: NodeJS.ProcessEnv, timeoutS = 600, expected?: string): Execution {
  for (let attempt = 1; ; attempt++) {
    // Executing a notebook replaces the outputs of every cell, so a second attempt may start from the first's file.
    const r = executeOnce(input, output, env, timeoutS);
    if (!r.ok) return r;
    if (silentCells(output, expected).length === 0 || attempt === 3) return { ok: true, attempts: attempt };
  }
}

function executeOnce(input: string, output: string, env: NodeJS.ProcessEnv, timeoutS: number): { ok: true } | { ok: false; error: string } {
  mkdirSync(dirname(output), { recursive: true });
  const r = spawnSync(
    'jupyter',
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--ExecutePreprocessor.kernel_name=deno',
      `--ExecutePreprocessor.timeout=${timeoutS}`,
      '--ExecutePreprocessor.record_timing=False',
      '--output-dir',
      dirname(output),
      '--output',
      basename(output),
      input,
    ],
    { encoding: 'utf8', env, maxBuffer: 64 << 20 },
  );
  if (r.status === 0) return { ok: true };
  const lines = `${r.stderr ?? ''}${r.error === undefined ? '' : String(r.error)}`.split('\n').filter((l) => !/Debugger warning|frozen modules|-Xfrozen_modules|PYDEVD_DISABLE_FILE_VALIDATION/.test(l));
  // nbconvert ends with the failing cell's source and the kernel's error: keep that part.
  const start = lines.findIndex((l) => /CellExecutionError|An error occurred while executing/.test(l));
  return { ok: false, error: lines.slice(start < 0 ? Math.max(0, lines.length - 40) : start).join('\n').trim() };
}
