/**
 * Writes src/engine/logOneMinus.wasm.ts, the WebAssembly module the library loads, from its
 * source text src/engine/logOneMinus.wat (assembled by wabt, a development dependency: the
 * package ships the bytes, not the assembler). Run it after changing the .wat:
 *
 *   node scripts/wasm.ts
 *
 * test/logOneMinus.test.ts fails while the two disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WAT_FILE = 'src/engine/logOneMinus.wat';
export const WASM_FILE = 'src/engine/logOneMinus.wasm.ts';

/** The module's bytes, assembled from the .wat. */
export async function assemble(): Promise<Uint8Array> {
  const w = await wabt();
  const module = w.parseWat(WAT_FILE, readFileSync(ROOT + WAT_FILE, 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** The source of logOneMinus.wasm.ts for these bytes. */
export function wasmSource(bytes: Uint8Array): string {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 24) rows.push(`  ${Array.from(bytes.subarray(i, i + 24)).join(', ')},`);
  return [
    '/**',
    ' * The WebAssembly module of logOneMinus.wat, assembled. Written by scripts/wasm.ts from',
    ' * the .wat; do not edit by hand.',
    ' */',
    'export const LOG_ONE_MINUS_WASM = new Uint8Array([',
    ...rows,
    ']);',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await assemble();
  writeFileSync(ROOT + WASM_FILE, wasmSource(bytes));
  process.stdout.write(`${WASM_FILE}: ${bytes.length} bytes\n`);
}
