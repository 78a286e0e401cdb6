/**
 * The notebooks, executed top to bottom as a user runs them (Jupyter's nbconvert with
 * Deno's kernel, as `npm run notebooks` does) into test/output/notebooks/: none may raise,
 * and every output must be the one committed, byte for byte. So a notebook that stops
 * working fails here, and so does one whose committed numbers or charts are stale (run
 * `npm run notebooks` and commit the result). The checks of the committed files need no
 * Jupyter; without it, executing the notebooks fails under CI (each test saying what is
 * missing) and elsewhere stands aside as one skipped test naming what to install.
 */
import test from 'ava';
import { globSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { registerSystemTests } from './helpers/systemPackages.ts';
import { executeNotebook, JUPYTER_PACKAGES, jupyterProblem, prepareKernel } from '../scripts/notebookKernel.ts';

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Array<{ output_type: string; ename?: string; evalue?: string; data?: Record<string, unknown>; text?: string | string[] }>;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string; language?: string } };
}

const OUTPUT = join(ROOT, 'test/output/notebooks');
const NOTEBOOKS = globSync('notebooks/*.ipynb', { cwd: ROOT }).sort();
const problem = jupyterProblem();
const env = problem === null ? prepareKernel(ROOT) : null;
const EXECUTE = registerSystemTests(problem, `notebook tests: no Jupyter nbconvert — apt-get install ${JUPYTER_PACKAGES.join(' ')} (as .ci/run does)`);

function read(file: string): Notebook {
  return JSON.parse(readFileSync(file, 'utf8')) as Notebook;
}

const source = (c: Cell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);

test('the five notebooks of the walkthrough are there, in order', (t) => {
  t.deepEqual(
    NOTEBOOKS.map((f) => basename(f, '.ipynb')),
    ['01-random-routing', '02-sizing-for-an-slo', '03-scaling-strategies', '04-failure-drills', '05-your-logs'],
  );
});

for (const nb of NOTEBOOKS) {
  test.serial(`${basename(nb)}: Deno's kernel, the app in the first cell, outputs committed`, (t) => {
    const committed = read(join(ROOT, nb));
    t.is(committed.metadata.kernelspec?.name, 'deno');
    t.is(committed.metadata.kernelspec?.language, 'typescript');
    const code = committed.cells.filter((c) => c.cell_type === 'code');
    t.true(code.length >= 3);
    // The cell a user changes first holds data only: nothing to import, nothing shown.
    t.false(/\bimport\b/.test(source(code[0]!)), 'the first code cell should hold the app, not imports');
    t.deepEqual(code[0]!.outputs, []);
    // Committed with their outputs: every later cell shows something, and nothing failed.
    for (const [i, c] of code.entries()) {
      t.false(c.outputs?.some((o) => o.output_type === 'error') ?? false, `code cell ${i + 1} was committed with an error`);
    }
    t.true(code.slice(1).every((c) => (c.outputs?.length ?? 0) > 0), 'every cell after the first should show its result');
    t.true(code.some((c) => c.outputs?.some((o) => o.data?.['image/svg+xml'] !== undefined && o.data?.['application/vnd.vegalite.v5+json'] !== undefined)), 'a chart, as SVG and as vega-lite');
  });

  if (EXECUTE) test.serial(`${basename(nb)}: runs top to bottom without an error and gives the committed outputs`, (t) => {
    if (problem !== null) return t.fail(problem);
    const out = join(OUTPUT, basename(nb));
    // An output the kernel lost under load (fewer than committed) is executed again, as npm run notebooks does.
    const r = executeNotebook(join(ROOT, nb), out, env!, undefined, join(ROOT, nb));
    if (!r.ok) return t.fail(`${nb} raised:\n${r.error}`);
    if (r.attempts > 1) t.log(`executed ${r.attempts} times: the kernel lost an output`);
    const fresh = read(out);
    const committed = read(join(ROOT, nb));
    t.is(fresh.cells.length, committed.cells.length);
    fresh.cells.forEach((c, i) => {
      t.false(c.outputs?.some((o) => o.output_type === 'error') ?? false, `cell ${i} raised`);
      t.deepEqual(c.outputs, committed.cells[i]!.outputs, `cell ${i}: outputs differ from the committed ones (npm run notebooks regenerates them)`);
    });
  });
}
