/**
 * dynosim's version, from package.json: it goes into every summary, since results are
 * reproducible per version. Read at run time rather than imported, so the build does not
 * copy package.json into dist/: the sources (src/engine/version.ts) and the compiled chunk
 * (dist/*.js) sit at different depths below it, so the nearest package.json above is taken.
 */
import { existsSync, readFileSync } from 'node:fs';

function packageJson(): URL {
  for (const up of ['../package.json', '../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error(`dynosim: no package.json above ${import.meta.url}`);
}

export const VERSION: string = (JSON.parse(readFileSync(packageJson(), 'utf8')) as { version: string }).version;
