/**
 * An interrupted command leaves nothing half-written. SIGINT (Ctrl-C) and SIGTERM run
 * every cleanup still registered (the hidden folder of unfinished results, a log file's
 * hidden copy, the lock on a results folder), say so in one line and exit with 130 or
 * 143, as a shell reports a process ended by those signals. SIGKILL cannot be caught:
 * what it leaves is removed by the next command into the same folder (see outputDir.ts).
 *
 * A long run hands the thread back to the event loop now and then (runRunPausing), and a
 * study's runs are in worker threads, so the signal is answered within a moment.
 */
const cleanups = new Set<() => void>();
let installed = false;

const EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** Registers a cleanup for an interruption; the function returned unregisters it. */
export function onInterrupt(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const left = cleanups.size;
      // Newest first: a folder's files before the lock that guards it.
      for (const cleanup of [...cleanups].reverse()) {
        try {
          cleanup();
        } catch {
          // Keep on with the others: the next command clears what is left.
        }
      }
      cleanups.clear();
      const after = process.stderr.isTTY ? '\n' : '';
      process.stderr.write(`${after}dynosim: interrupted (${signal})${left > 0 ? ': nothing written, earlier results left as they were' : ''}\n`);
      process.exit(EXIT[signal]);
    });
  }
}
