/**
 * The build stamp: a file the build writes into dist/ last, so that its time says when
 * the compiled code was complete. In a clone (src/ beside dist/), any source newer than
 * the stamp means the compiled code may not be what the sources say.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stamp's name inside dist/ (scripts/build.js writes it, as its last step). */
export const STAMP_FILE = '.build-stamp';

/**
 * Why the compiled code under `root`/dist may be older than the sources under `root`/src,
 * or null when it is not (or when there are no sources: an installed package).
 */
export function staleBuild(root: URL | string): string | null {
  const rootDir = typeof root === 'string' ? root : fileURLToPath(root);
  const srcDir = join(rootDir, 'src');
  if (!existsSync(srcDir)) return null;
  const stampPath = join(rootDir, 'dist', STAMP_FILE);
  if (!existsSync(stampPath)) return 'dist/ has no complete build';
  const stampMs = statSync(stampPath).mtimeMs;
  const newer = newerThan(srcDir, stampMs);
  return newer === null ? null : `dist/ is older than ${relative(rootDir, newer)}`;
}

/** The first file under `dir` (in name order) modified after `ms`, or null. */
function newerThan(dir: string, ms: number): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = newerThan(path, ms);
      if (found !== null) return found;
    } else if (statSync(path).mtimeMs > ms) {
      return path;
    }
  }
  return null;
}
