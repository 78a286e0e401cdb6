/**
 * `npm test`: type-check, then every ava test, ending with the line
 * `N passed, N failed` that CI reads. The type check counts as one test.
 */
import { spawnSync, spawn } from 'node:child_process';

let passed = 0;
let failed = 0;

const tsc = spawnSync('npx', ['tsc', '--noEmit'], { encoding: 'utf8' });
if (tsc.status === 0) {
  passed++;
  console.log('ok - type check (tsc --noEmit)');
} else {
  failed++;
  console.log('not ok - type check (tsc --noEmit)');
  process.stdout.write(tsc.stdout + tsc.stderr);
}

const ava = spawn('npx', ['ava', '--tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let buffer = '';
ava.stdout.setEncoding('utf8');
ava.stdout.on('data', (chunk: string) => {
  process.stdout.write(chunk);
  buffer += chunk;
  let nl: number;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (/^ok \d+/.test(line) && !/# SKIP/.test(line)) passed++;
    else if (/^not ok \d+/.test(line)) failed++;
  }
});
const code: number = await new Promise((resolve) => ava.on('close', (c) => resolve(c ?? 1)));
if (code !== 0 && failed === 0) failed++; // ava failed without a failing test (a crash, an uncaught error)
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
