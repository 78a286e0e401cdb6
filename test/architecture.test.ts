/**
 * The house's layers, held against its imports. dependency-cruiser reads every import of
 * src/ (type-only ones too: a type is a dependency of the reader's mind if not of the
 * program), and the tests fail on any cycle between files, any cycle between folders, and
 * any import from a layer into one above it.
 *
 * LAYERS is the one place the order is written, bottom first (docs/architecture.md
 * explains it). An entry is a path under src/; a file belongs to the longest entry its
 * path starts with, and may import files of its own entry or of entries before it.
 */
import test from 'ava';
import { cruise, type IModule } from 'dependency-cruiser';
import { dirname } from 'node:path';
import { ROOT } from './helpers/cli.ts';

export const LAYERS: readonly (readonly string[])[] = [
  // 1 engine: the event loop, streams, histograms, units, the version
  ['engine'],
  // 2 statistics and queueing theory
  ['stats'],
  // 3 the model of the platform, its parts bottom first; Scenario.ts holds the types a run is built from
  [
    'model/logs',
    'model/traffic',
    'model/platform',
    'model/billing',
    'model/router',
    'model/Scenario.ts',
    'model/dynos',
    'model/scaling',
    'model/flow',
    'model/run',
  ],
  // 4 scenario files: schema, loading, resolving into the model's types
  ['scenario'],
  // 5 studies of many runs
  ['studies/parallel', 'studies/compare', 'studies/plan', 'studies/sweep', 'studies/fit', 'studies/cost'],
  // 6 output: text, files, charts and pages
  ['output/report', 'output/charts'],
  // 7 interfaces: the notebook helpers, the library API (its jobs, then the names it exports), the command line
  ['interfaces/notebook', 'interfaces/api', 'index.ts', 'interfaces/cli'],
];

const ENTRIES = LAYERS.flat();

/** The entry a file under src/ belongs to (its index in ENTRIES), or −1. */
export function entryOf(path: string): number {
  const rel = path.replace(/^src\//, '');
  let best = -1;
  ENTRIES.forEach((e, i) => {
    if ((rel === e || rel.startsWith(`${e}/`)) && (best < 0 || e.length > ENTRIES[best]!.length)) best = i;
  });
  return best;
}

/** The graph of src/: file -> the files under src/ it imports. */
async function graph(): Promise<Map<string, string[]>> {
  const result = await cruise(['src'], { baseDir: ROOT, tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } });
  const modules = (result.output as { modules: IModule[] }).modules;
  const g = new Map<string, string[]>();
  for (const m of modules) {
    if (!m.source.startsWith('src/')) continue;
    g.set(m.source, m.dependencies.map((d) => d.resolved).filter((r) => r.startsWith('src/')));
  }
  return g;
}

/** Strongly connected components with more than one node (or a self-loop): the cycles. */
export function cycles(g: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

const files = await graph();

test('the graph is read: every source file of src/ is in it', (t) => {
  t.true(files.size > 150, `${files.size} files`);
  t.true(files.get('src/model/run/wire.ts')!.includes('src/engine/Engine.ts'));
});

test('no two files import each other, however far round', (t) => {
  t.deepEqual(cycles(files), []);
});

test('no two folders import each other, however far round', (t) => {
  const folders = new Map<string, Set<string>>();
  for (const [f, deps] of files) {
    const from = dirname(f);
    const set = folders.get(from) ?? new Set<string>();
    for (const d of deps) if (dirname(d) !== from) set.add(dirname(d));
    folders.set(from, set);
  }
  t.deepEqual(cycles(new Map([...folders].map(([k, v]) => [k, [...v]]))), []);
});

test('every file of src/ has a layer', (t) => {
  t.deepEqual([...files.keys()].filter((f) => entryOf(f) < 0), []);
});

test('no import runs from a layer up into one above it', (t) => {
  const upward: string[] = [];
  for (const [f, deps] of files) {
    for (const d of deps) if (entryOf(d) > entryOf(f)) upward.push(`${f} -> ${d} (${ENTRIES[entryOf(f)]} is below ${ENTRIES[entryOf(d)]})`);
  }
  t.deepEqual(upward, []);
});

test('the checks can fail: a loop and an upward import are found', (t) => {
  t.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c']]);
  t.true(entryOf('src/model/dynos/manager/DynoManager.ts') < entryOf('src/model/flow/RequestFlow.ts'));
  t.true(entryOf('src/engine/Engine.ts') < entryOf('src/interfaces/cli/main.ts'));
  t.is(entryOf('src/nowhere.ts'), -1);
});
