/**
 * `npm test`: build, type-check, then every ava test, ending with the line
 * `N passed, N failed, N skipped` that CI reads.
 *
 * - The build (scripts/build.js) comes first, so the tests that run the `dynosim`
 *   executable run what the sources say. It and the type check count as one test each.
 * - The closing line adds those two to ava's own count (its TAP summary `# pass`,
 *   `# skip`, `# fail`), and says so on the line before; if the TAP lines read one by one
 *   disagree with that summary, the run fails.
 * - Skipped tests are those whose system packages are missing (each file that skips says
 *   which `apt-get install` enables it). Under CI nothing may be skipped: with CI set, a
 *   skipped test counts as failed.
 */
import { spawnSync, spawn } from 'node:child_process';

let passed = 0;
let failed = 0;

function step(name: string, command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status === 0) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}`);
    process.stdout.write(r.stdout + r.stderr);
  }
}

step('build (npm run build)', process.execPath, ['scripts/build.js']);
step('type check (tsc --noEmit)', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);

const ava = spawn('npx', ['ava', '--tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = { pass: 0, fail: 0, skip: 0 };
const summary: Record<string, number> = {};
const skippedNames: string[] = [];
let buffer = '';
ava.stdout.setEncoding('utf8');
const onLine = (line: string): void => {
  const s = /^# (tests|pass|skip|fail|todo) (\d+)$/.exec(line);
  if (s !== null) summary[s[1]!] = Number(s[2]);
  else if (/^ok \d+/.test(line) && /# SKIP/.test(line)) {
    lines.skip++;
    skippedNames.push(line.replace(/^ok \d+ - /, ''));
  } else if (/^ok \d+/.test(line)) lines.pass++;
  else if (/^not ok \d+/.test(line)) lines.fail++;
};
ava.stdout.on('data', (chunk: string) => {
  process.stdout.write(chunk);
  buffer += chunk;
  let nl: number;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    onLine(buffer.slice(0, nl));
    buffer = buffer.slice(nl + 1);
  }
});
const code: number = await new Promise((resolve) => ava.on('close', (c) => resolve(c ?? 1)));
if (buffer !== '') onLine(buffer);

const avaPass = summary['pass'] ?? lines.pass;
const avaFail = summary['fail'] ?? lines.fail;
const avaSkip = summary['skip'] ?? lines.skip;
let notes = '';
if (summary['pass'] === undefined) {
  failed++;
  notes += '; ava printed no TAP summary';
} else if (summary['pass'] !== lines.pass || (summary['fail'] ?? 0) !== lines.fail || (summary['skip'] ?? 0) !== lines.skip) {
  failed++;
  notes += `; its TAP lines counted ${lines.pass} passed, ${lines.fail} failed, ${lines.skip} skipped`;
}
if (code !== 0 && avaFail === 0) {
  failed++; // ava failed without a failing test (a crash, an uncaught error)
  notes += `; ava exited ${code} without a failing test`;
}
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false' && process.env['CI'] !== '0';
if (ci && avaSkip > 0) {
  failed += avaSkip;
  notes += `; under CI nothing may be skipped: ${skippedNames.join(' | ')}`;
}
passed += avaPass;
failed += avaFail;
const skipped = ci ? 0 : avaSkip;
console.log(`# ava: ${avaPass} passed, ${avaFail} failed, ${avaSkip} skipped; plus the build and the type check${notes}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed === 0 ? 0 : 1;
