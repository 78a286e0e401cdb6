/**
 * --interactive-report, on every command that writes a report: report-interactive.html
 * beside report.html, the libraries and specs inline, linked from report.html; nothing
 * else changes but that link; the same bytes run after run; with --no-charts, one line and
 * exit 2, nothing written. test/browser.test.ts draws such a page in Chromium.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';

const EXAMPLE = join(ROOT, 'scenarios/two-web-dynos.yaml');
const SHORT = ['--set', 'duration=2h', '--no-png', '-q', '--no-progress'];

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-interactive-'));
}

/** Every file under a folder (run.json, the wall-clock file, aside), relative to it. */
function tree(dir: string, top = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), top) : d.name === 'run.json' ? [] : [join(dir, d.name).slice(top.length + 1)]))
    .sort();
}

test('run --interactive-report adds report-interactive.html, self-contained and linked from report.html; every other file as without it', (t) => {
  const base = scratch();
  const plain = join(base, 'plain');
  const live = join(base, 'live');
  t.is(dynosim(['run', EXAMPLE, '--out', plain, ...SHORT]).status, 0);
  const r = dynosim(['run', EXAMPLE, '--out', live, ...SHORT.filter((a) => a !== '-q'), '--interactive-report']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout.replace(/\s+/g, " "), /report\.html, report-interactive\.html, charts\/ \(6 charts\)/);
  t.deepEqual(tree(live), [...tree(plain), 'report-interactive.html'].sort());
  for (const f of tree(plain)) if (f !== 'report.html') t.true(readFileSync(join(live, f)).equals(readFileSync(join(plain, f))), `${f} is the same`);

  const page = readFileSync(join(live, 'report-interactive.html'), 'utf8');
  t.true(page.length > 800_000, 'vega, vega-lite and vega-embed inline');
  t.regex(page, /<script>\/\* vega-embed \*\//);
  t.is((page.match(/<script type="application\/json" class="spec">/g) ?? []).length, 6, 'every chart its spec');
  t.notRegex(page, /<img src="charts\//, "charts drawn live, not as images");
  const html = readFileSync(join(live, 'report.html'), 'utf8');
  t.true(html.length < 40_000, `report.html is ${html.length} bytes`);
  t.true(html.includes('<a href="report-interactive.html">The interactive page</a>'));
  t.true(readFileSync(join(plain, 'report.html'), 'utf8').includes('run the command again with --interactive-report'));
  t.is(html.replace(/<p class="note">.*<\/p>\n/, ''), readFileSync(join(plain, 'report.html'), 'utf8').replace(/<p class="note">.*<\/p>\n/, ''), 'report.html differs only in its note');

  const again = join(base, 'again');
  t.is(dynosim(['run', EXAMPLE, '--out', again, ...SHORT, '--interactive-report']).status, 0);
  for (const f of tree(live)) t.true(readFileSync(join(again, f)).equals(readFileSync(join(live, f))), `${f} the same bytes again`);

  // A rerun without the flag replaces the folder whole: no stale interactive page.
  t.is(dynosim(['run', EXAMPLE, '--out', live, ...SHORT]).status, 0);
  t.false(existsSync(join(live, 'report-interactive.html')));
});

test('cost --interactive-report writes both pages', (t) => {
  const out = join(scratch(), 'c');
  const r = dynosim(['cost', EXAMPLE, '--out', out, '--no-png', '-q', '--interactive-report']);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(readdirSync(out).sort(), ['charts', 'cost.csv', 'cost.json', 'report-interactive.html', 'report.html']);
  t.is((readFileSync(join(out, 'report-interactive.html'), 'utf8').match(/class="spec"/g) ?? []).length, 2);
});

test('every command that writes a report takes --interactive-report', (t) => {
  for (const cmd of ['run', 'compare', 'sweep', 'merge', 'plan', 'cost']) {
    const r = dynosim([cmd, '--help']);
    t.is(r.status, 0);
    t.regex(r.stdout, /--interactive-report +also write report-interactive\.html/, cmd);
  }
});

test('--interactive-report with --no-charts is one line, exit 2, and writes nothing', (t) => {
  const base = scratch();
  const variants = join(ROOT, 'scenarios/black-friday.yaml');
  for (const args of [
    ['run', EXAMPLE, '--out', join(base, 'run')],
    ['cost', EXAMPLE, '--out', join(base, 'cost')],
    ['compare', variants, '--replications', '2', '--out', join(base, 'compare')],
    ['sweep', EXAMPLE, '--vary', 'formation.web.count=1,2', '--out', join(base, 'sweep')],
    ['plan', EXAMPLE, '--slo', 'p95<500ms', '--out', join(base, 'plan')],
  ]) {
    const r = dynosim([...args, '--no-charts', '--interactive-report']);
    t.is(r.status, 2, args[0]);
    t.is(r.stderr, 'dynosim: --interactive-report draws the charts: it cannot go with --no-charts\n', args[0]);
  }
  t.deepEqual(readdirSync(base), []);
});
