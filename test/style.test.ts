/**
 * Colour only on a terminal and never with NO_COLOR; tables that line up with styled cells;
 * every command's text plain when it does not go to a terminal, and the same words and
 * spaces when it does.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { padVisible, visibleWidth, type Styler } from '../src/output/report/style.ts';
import { colorOn, paint, problemLine, styler } from '../src/interfaces/cli/terminal.ts';
import { formatTable, wrapWords } from '../src/output/report/table.ts';
import { packParts, summaryText } from '../src/output/report/text.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { outcomeOf, type Outcome } from '../src/studies/parallel/outcome.ts';
import { compareOutcomes, type Alternative } from '../src/studies/compare/compare.ts';
import { compareText } from '../src/output/report/compare.ts';
import { parseVary, taskAt, taskCount, type SweepSpec } from '../src/studies/sweep/grid.ts';
import { sweepTables } from '../src/studies/sweep/tables.ts';
import { sweepSummaryText } from '../src/output/report/sweep.ts';
import { fitLog } from '../src/studies/fit/fitLog.ts';
import { fitSummaryText } from '../src/output/report/fit.ts';
import { parseSlo, type Slo } from '../src/studies/plan/slo.ts';
import { searchPlan, type Combination, type PlanResult } from '../src/studies/plan/search.ts';
import { planText } from '../src/output/report/plan.ts';
import { type PlanSetup, type SkippedCombination } from '../src/studies/plan/runPlan.ts';
import { MAIN, ROOT } from './helpers/cli.ts';

const ESC = '\u001b[';

/** A stream like a pipe or a file (not a terminal), or like a terminal of some colour depth. */
class FakeStream extends Writable {
  readonly isTTY: boolean | undefined;
  readonly depth: number;
  constructor(tty: boolean, depth = 8) {
    super();
    this.isTTY = tty ? true : undefined;
    this.depth = depth;
  }
  getColorDepth(): number {
    return this.depth;
  }
  hasColors(): boolean {
    return this.depth > 2;
  }
  override _write(_chunk: unknown, _enc: BufferEncoding, cb: () => void): void {
    cb();
  }
}

const PIPE = new FakeStream(false);
const TTY = new FakeStream(true);
/** A terminal that says it has no colours (TERM=dumb). */
const DUMB = new FakeStream(true, 1);

/** Runs `f` with these variables set (a string) or unset (undefined), and puts the environment back. */
function withEnv<T>(vars: Record<string, string | undefined>, f: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const put = (v: Record<string, string | undefined>): void => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  put(vars);
  try {
    return f();
  } finally {
    put(saved);
  }
}

const CLEAN = { NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_DISABLE_COLORS: undefined };

// ---------------------------------------------------------------------------------------
// style.ts

test('a stream that is not a terminal gets plain text, even with FORCE_COLOR', (t) => {
  for (const env of [CLEAN, { ...CLEAN, FORCE_COLOR: '1' }, { ...CLEAN, FORCE_COLOR: '3' }]) {
    withEnv(env, () => {
      t.false(colorOn(PIPE));
      t.is(paint('red', 'failed', PIPE), 'failed');
      t.is(paint(['bold', 'green'], 'met', PIPE), 'met');
      const st = styler(PIPE);
      t.false(st.on);
      t.is(st.bold('x') + st.dim('y') + st.red('z') + st.green('w') + st.yellow('v') + st(undefined, 'u'), 'xyzwvu');
    });
  }
});

test('a terminal gets colour; FORCE_COLOR turns it on even where the terminal says it has none', (t) => {
  withEnv(CLEAN, () => {
    t.true(colorOn(TTY));
    t.is(paint('red', 'failed', TTY), `${ESC}31mfailed${ESC}39m`);
    t.is(styler(TTY).bold('label'), `${ESC}1mlabel${ESC}22m`);
    t.false(colorOn(DUMB), 'TERM=dumb: no colour');
    t.is(paint('red', 'x', DUMB), 'x');
  });
  withEnv({ ...CLEAN, FORCE_COLOR: '1' }, () => {
    t.true(colorOn(DUMB));
    t.true(paint('green', 'met', DUMB).includes(ESC));
    t.is(stripVTControlCharacters(paint(['bold', 'yellow'], 'warn', DUMB)), 'warn');
  });
  withEnv({ ...CLEAN, FORCE_COLOR: '0' }, () => {
    t.false(colorOn(TTY), 'FORCE_COLOR=0 turns colour off');
    t.is(paint('red', 'x', TTY), 'x');
  });
});

test('NO_COLOR: never any colour, whatever the stream and FORCE_COLOR say', (t) => {
  for (const value of ['1', 'true', '']) {
    for (const force of [undefined, '1', '3']) {
      withEnv({ ...CLEAN, NO_COLOR: value, FORCE_COLOR: force }, () => {
        for (const stream of [TTY, DUMB, PIPE]) {
          t.false(colorOn(stream), `NO_COLOR=${JSON.stringify(value)} FORCE_COLOR=${force}`);
          t.is(paint(['bold', 'red'], 'error', stream), 'error');
          t.is(problemLine('dynosim: no such file', stream), 'dynosim: no such file');
        }
      });
    }
  }
});

test('problemLine styles the leading "dynosim:", "error:" or file name on a terminal only', (t) => {
  withEnv(CLEAN, () => {
    t.is(problemLine('dynosim: x.yaml: no such file', PIPE), 'dynosim: x.yaml: no such file');
    t.is(problemLine('dynosim: x.yaml: no such file', TTY), `${ESC}1m${ESC}31mdynosim:${ESC}39m${ESC}22m x.yaml: no such file`);
    t.is(stripVTControlCharacters(problemLine("error: unknown option '--x'\n", TTY)), "error: unknown option '--x'\n");
    t.true(problemLine('scenario.yaml: formation.web.count: expected a whole number', TTY).startsWith(`${ESC}1m${ESC}31mscenario.yaml:`));
    t.is(problemLine('(run with --help for usage)', TTY), '(run with --help for usage)');
  });
});

test('visibleWidth and padVisible measure text without its escape codes', (t) => {
  withEnv(CLEAN, () => {
    const red = paint('red', '12 ms', TTY);
    t.not(red.length, 5);
    t.is(visibleWidth(red), 5);
    t.is(stripVTControlCharacters(padVisible(red, 8, 'right')), '   12 ms');
    t.is(stripVTControlCharacters(padVisible(red, 8)), '12 ms   ');
    t.is(padVisible('toolong', 3), 'toolong');
  });
});

// ---------------------------------------------------------------------------------------
// table.ts

test('formatTable: a header, columns padded to their widest cell, numbers right-aligned, no trailing spaces', (t) => {
  const out = formatTable(
    [{ header: 'metric' }, { header: 'mean', align: 'right' }, { header: 'note' }],
    [
      ['p95 latency', '412 ms', 'met'],
      ['errors', '0.02%', ''],
      ['monthly cost', '$1,000.00', 'over budget'],
    ],
    { styler: styler(PIPE) },
  );
  t.is(
    out,
    [
      'metric             mean  note', //
      'p95 latency      412 ms  met',
      'errors            0.02%',
      'monthly cost  $1,000.00  over budget',
    ].join('\n'),
  );
});

test('formatTable: styled cells line up as the plain ones do (widths without escape codes)', (t) => {
  const columns = [{ header: 'alternative', style: 'bold' as const }, { header: 'p95', align: 'right' as const }, { header: 'verdict' }];
  const rows = [
    ['fixed', { text: '2710 ms', style: 'red' as const }, { text: 'worse', style: 'red' as const }],
    ['queue-time', { text: '574 ms', style: 'green' as const }, { text: 'better', style: ['bold', 'green'] as const }],
    [paint('yellow', 'autoscale', TTY), '565 ms', ''],
  ];
  withEnv(CLEAN, () => {
    const colour = formatTable(columns, rows, { styler: styler(TTY), indent: 2 });
    const plain = formatTable(columns, rows.map((r) => r.map((c) => (typeof c === 'string' ? stripVTControlCharacters(c) : c.text))), { styler: styler(PIPE), indent: 2 });
    t.true(colour.includes(ESC));
    t.false(plain.includes(ESC));
    t.is(stripVTControlCharacters(colour), plain);
    t.is(
      plain,
      [
        '  alternative      p95  verdict', //
        '  fixed        2710 ms  worse',
        '  queue-time    574 ms  better',
        '  autoscale     565 ms',
      ].join('\n'),
    );
    // Padding stays outside the styled text.
    t.true(colour.includes(`   ${ESC}32m574 ms${ESC}39m`));
  });
});

test('formatTable: a wrapping last column continues under itself within the width', (t) => {
  const out = formatTable([{ header: 'size' }, { header: 'why', wrap: true }], [['standard-1x', 'word '.repeat(30).trim()]], { styler: styler(PIPE), width: 40 });
  const lines = out.split('\n');
  t.true(lines.length > 2);
  t.true(lines.every((l) => l.length <= 40), out);
  t.true(lines.slice(2).every((l) => l.startsWith(' '.repeat(13) + 'word')), out);
  t.deepEqual(wrapWords('a bb ccc', 4), ['a bb', 'ccc']);
  t.deepEqual(packParts(['one', 'two', 'three'], 9), ['one · two', 'three']);
  t.deepEqual(packParts(['one', 'two'], 6, '; '), ['one;', 'two']);
});

// ---------------------------------------------------------------------------------------
// Every command's text, on real results

/** The text for a pipe has no escape codes; for a terminal it has some, and without them it is the same text. */
function plainAndStyled(t: import('ava').ExecutionContext, name: string, text: (style: Styler) => string): string {
  return withEnv(CLEAN, () => {
    const plain = text(styler(PIPE));
    const styled = text(styler(TTY));
    t.false(plain.includes('\u001b'), `${name}: escape codes for a pipe`);
    t.true(styled.includes(ESC), `${name}: no colour on a terminal`);
    t.is(stripVTControlCharacters(styled), plain, `${name}: colour changed the text`);
    t.false(plain.split('\n').some((l) => l !== l.trimEnd()), `${name}: trailing spaces`);
    withEnv({ NO_COLOR: '1' }, () => t.is(text(styler(TTY)), plain, `${name}: NO_COLOR`));
    return plain;
  });
}

const TWO = join(ROOT, 'test/fixtures/compare/two-dynos.yaml');
const FOUR = join(ROOT, 'test/fixtures/compare/four-dynos.yaml');
const ERLANG = join(ROOT, 'test/fixtures/plan/erlang-c.yaml');
const REPLAY = join(ROOT, 'scenarios/replay/on-two-dynos.yaml');

async function outcome(file: string, seed: number, set: readonly string[] = []): Promise<Outcome> {
  return outcomeOf(simulate(await loadScenario(file, { seed, set })));
}

test('the run summary: plain for a pipe, aligned, within 100 columns', async (t) => {
  // A replay with classes, a job queue and errors: every part of the summary.
  const s = simulate(await loadScenario(REPLAY)).summary;
  const text = plainAndStyled(t, 'summaryText', (style) => summaryText(s, style));
  t.true(text.split('\n').every((l) => l.length <= 100), text);
  t.regex(text, /^ +mean +p50 +p95 +p99 +p99\.9 +max$/m);
  t.regex(text, /^job wait$/m);
});

test('the comparison: plain for a pipe, means then differences, within 100 columns', async (t) => {
  const seeds = [1, 2];
  const alt = (name: string, file: string): Alternative => ({ name, file, variant: null, scenario: name });
  const outcomes = await Promise.all([TWO, FOUR].map((f) => Promise.all(seeds.map((s) => outcome(f, s)))));
  const setup = { version: 'test', files: [TWO, FOUR], variants: null, base: false, replications: 2, seeds, set: [], level: 0.95 };
  const c = compareOutcomes(setup, [alt('two', TWO), alt('four', FOUR)], outcomes);
  const text = plainAndStyled(t, 'compareText', (style) => compareText(c, style));
  t.regex(text, /^metric +two +four$/m);
  t.regex(text, /^four − two\nmetric +difference +95% interval +change$/m);
  t.regex(text, /^monthly cost +\+\$50\.00 +\[\+\$50\.00, \+\$50\.00\] +\+100\.0% +worse$/m);
  const three = compareOutcomes({ ...setup, files: [TWO, FOUR, TWO] }, [alt('two', TWO), alt('four', FOUR), alt('two-again', TWO)], [...outcomes, outcomes[0]!]);
  const split = plainAndStyled(t, 'compareText', (style) => compareText(three, style));
  t.regex(split, /^metric +two +four +two-again$/m);
  t.regex(split, /^two-again − two\nmetric +difference +95% interval +change\np50 latency +\+0\.0 ms +\[\+0\.0, \+0\.0\] ms +\+0\.0%$/m);
  for (const x of [text, split]) t.true(x.split('\n').every((l) => l.length <= 100), x);
});

test('the sweep summary: plain for a pipe', async (t) => {
  const spec: SweepSpec = { axes: [parseVary('formation.web.count=2,4')], replications: 2, seed: 1, set: [] };
  const outcomes: Outcome[] = [];
  for (let i = 0; i < taskCount(spec); i++) {
    const task = taskAt(spec, { file: TWO }, i);
    outcomes.push(await outcome(task.file, task.seed, task.set));
  }
  const { points } = sweepTables(spec, outcomes);
  const text = plainAndStyled(t, 'sweepSummaryText', (style) => sweepSummaryText('two-dynos', spec, points, style));
  t.regex(text, /^ +formation\.web\.count +p95 +95% interval +pooled p99 +errors +monthly$/m);
  t.regex(text, /^ +4 +[\d.]+ ms +[\d.]+–[\d.]+ ms +[\d.]+ ms +[\d.]+% +\$[\d.]+$/m);
});

test('the fit table: plain for a pipe', async (t) => {
  const lines = readFileSync(join(ROOT, 'scenarios/replay/router.log'), 'utf8').split('\n');
  const fit = await fitLog(lines);
  const text = plainAndStyled(t, 'fitSummaryText', (style) => fitSummaryText(fit, 'router.log', style));
  t.regex(text, /^class +requests +share +service time +KS D +other fit +its KS D$/m);
});

test('the plan: plain for a pipe, with an answer and with none', async (t) => {
  const combo = (size: string, price: number): Combination => ({
    key: `base/${size}/1`,
    strategy: 'base',
    size,
    concurrency: 1,
    autoscaler: null,
    lowerBound: 4,
    maxCount: 8,
    pricePerDyno: price,
    costFloor: (n) => n * price,
  });
  const run = async (slos: readonly Slo[]): Promise<PlanResult> =>
    searchPlan([combo('standard-1x', 25), combo('standard-2x', 50)], { slos }, async (batch) =>
      Promise.all(
        batch.map(async (req) => ({
          kind: 'ran' as const,
          metrics: await Promise.all([1, 2, 3].map(async (seed) => (await outcome(ERLANG, seed, [`formation.web.count=${req.n}`, `formation.web.size=${req.combo.size}`, 'duration=120s'])).metrics)),
        })),
      ),
    );
  const setup: PlanSetup = { scenario: 'plan-erlang-c', file: 'erlang-c.yaml', platform: 'heroku-2025', strategies: ['base'], sizes: null, concurrency: null, replications: 3, seed: 1, maxCount: 8, set: [], confidence: 0.95 };
  const skipped: SkippedCombination[] = [
    { strategy: 'nightly', size: null, concurrency: null, reason: 'web follows a schedule (scaling.web), which sets its own counts: plan searches a fixed count or an autoscaler’s ceiling' },
    { strategy: 'nightly', size: 'standard-2x', concurrency: 2, reason: 'web follows a schedule (scaling.web), which sets its own counts: plan searches a fixed count or an autoscaler’s ceiling' },
  ];
  const good = [parseSlo('queue.mean<25ms'), parseSlo('errors<1%')];
  const answered = await run(good);
  const met = plainAndStyled(t, 'planText', (style) => planText(setup, good, answered, skipped, style));
  t.regex(met, /^answer: \d × standard-1x, concurrency 1, fixed: \$\d+\.00\/month$/m);
  t.regex(met, /^answer: .*\n {4}queue\.mean < 25 ms +[\d.]+ ms +upper +[\d.]+ ms +met\n {4}errors < 1% +[\d.]+% +upper +[\d.]+% +met\n/m);
  t.regex(met, /^ +as written +as written +nightly +web follows a schedule/m);
  t.regex(met, /^ +standard-2x +2 +nightly +the same$/m);
  const bad = [parseSlo('p50<1ms')];
  const noAnswer = await run(bad);
  const none = plainAndStyled(t, 'planText', (style) => planText(setup, bad, noAnswer, [], style));
  t.regex(none, /^no formation within --max-count 8 meets every SLO$/m);
  t.regex(none, /^ {2}standard-1x, concurrency 1, fixed: misses p50<1ms even at 8\n {4}p50 < 1 ms +[\d.]+ ms +upper +[\d.]+ ms +missed$/m);
  for (const x of [met, none]) t.true(x.split('\n').every((l) => l.length <= 100), x);
});

test('the commands print plain text to a pipe, even with FORCE_COLOR', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-style-'));
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: '1' } as NodeJS.ProcessEnv;
  delete env['NO_COLOR'];
  const cli = (args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env });
  const runs = [
    ['run', TWO, '--out', join(dir, 'run')],
    ['validate', TWO],
    ['compare', TWO, FOUR, '--replications', '2', '--out', join(dir, 'compare')],
    ['sweep', TWO, '--vary', 'formation.web.count=2,3', '--replications', '2', '--out', join(dir, 'sweep')],
    ['plan', ERLANG, '--slo', 'queue.mean<25ms', '--replications', '3', '--max-count', '8', '--set', 'duration=120s', '--out', join(dir, 'plan')],
    ['fit', join(ROOT, 'scenarios/replay/router.log'), '-o', join(dir, 'fitted.yaml')],
    ['run', join(dir, 'no-such.yaml')],
    ['run', TWO, '--frobnicate'],
  ];
  for (const args of runs) {
    const r = cli(args);
    t.true(r.stdout.length + r.stderr.length > 0, args.join(' '));
    t.false(r.stdout.includes('\u001b'), `${args.join(' ')}: stdout\n${r.stdout}`);
    t.false(r.stderr.includes('\u001b'), `${args.join(' ')}: stderr\n${r.stderr}`);
  }
});
