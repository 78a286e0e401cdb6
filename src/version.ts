/**
 * dynosim's version, from package.json: it goes into every summary, since results are
 * reproducible per version. Read at run time rather than imported, so the compiled
 * `dist/version.js` finds the same package.json as `src/version.ts` (both sit one folder
 * below it) and the build does not copy package.json into dist/.
 */
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
