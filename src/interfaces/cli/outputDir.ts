/**
 * Results are written atomically: into a hidden folder beside the target, renamed into
 * place only when every file is complete. A run that fails leaves earlier results as
 * they were; a run that is interrupted (SIGINT, SIGTERM) removes its hidden folder
 * before it exits (interrupt.ts); one that is killed leaves only a hidden `.dynosim-*`
 * folder, which the next run into the same parent clears away.
 *
 * One writer at a time: a command takes a lock on its target (`.dynosim-<name>.lock`
 * beside it, holding the owner's pid) before it runs anything, and a second command for
 * the same target fails at once with one line naming the owner, rather than replacing
 * the first one's results. A lock whose process is gone is taken over.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { onInterrupt } from './interrupt.ts';
import { UsageError } from './UsageError.ts';

/** The lock on one target: taken when made, released once (commit, abandon or interruption). */
export class OutputLock {
  /** The folder or file locked (absolute). */
  readonly target: string;
  readonly path: string;
  private released = false;
  private readonly forget: () => void;
  /** The outermost folder the lock had to make for its file (removed again on release if left empty). */
  private readonly made: string | undefined;

  /** Takes the lock on `target` (a folder or a file), or throws a UsageError naming the process that holds it. */
  constructor(target: string) {
    const full = resolve(target);
    this.target = full;
    const parent = dirname(full);
    this.made = mkdirSync(parent, { recursive: true });
    this.path = join(parent, `.dynosim-${basename(full)}.lock`);
    try {
      take(this.path, full);
    } catch (e) {
      this.removeMade();
      throw e;
    }
    this.forget = onInterrupt(() => this.release());
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.forget();
    rmSync(this.path, { force: true });
    this.removeMade();
  }

  /** A command that wrote nothing leaves no folder behind: the folders made for the lock go again while empty. */
  private removeMade(): void {
    if (this.made === undefined) return;
    for (let dir = dirname(this.path); ; dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        return; // not empty (results were written) or gone
      }
      if (dir === this.made || dirname(dir) === dir) return;
    }
  }
}

function take(lock: string, target: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = lockOwner(lock);
    if (owner !== null && owner !== process.pid && alive(owner)) {
      throw new UsageError(`${relative(process.cwd(), target) || '.'}: another dynosim (pid ${owner}) is writing these results; wait for it to end or give another --out (its lock: ${basename(lock)})`);
    }
    // Its process is gone (killed): the lock is stale.
    rmSync(lock, { force: true });
  }
  throw new UsageError(`${relative(process.cwd(), target) || '.'}: could not take the lock ${basename(lock)}: other commands keep taking it`);
}

/** The pid in a lock file (null if it is unreadable or gone meanwhile). */
function lockOwner(lock: string): number | null {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export class OutputDir {
  readonly target: string;
  readonly tmp: string;
  private done = false;
  private readonly lock: OutputLock;
  private readonly forget: () => void;

  /** Takes the target's lock (unless the command took it already, before its runs) and makes the hidden folder. */
  constructor(target: string, lock?: OutputLock) {
    this.target = resolve(target);
    const parent = dirname(this.target);
    mkdirSync(parent, { recursive: true });
    this.lock = lock ?? new OutputLock(this.target);
    this.tmp = join(parent, `.dynosim-${basename(this.target)}-${process.pid}.tmp`);
    this.forget = onInterrupt(() => rmSync(this.tmp, { recursive: true, force: true }));
    try {
      clearStale(parent);
      rmSync(this.tmp, { recursive: true, force: true });
      mkdirSync(this.tmp);
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  /** Writes a file; `name` may name a subfolder (`charts/latency.svg`), made as needed. */
  write(name: string, content: string | Uint8Array): void {
    const path = join(this.tmp, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }

  /** A file written piece by piece (for outputs too long to hold in memory). */
  open(name: string): { write(text: string): void; close(): void } {
    const fd = openSync(join(this.tmp, name), 'w');
    return { write: (text: string) => void writeSync(fd, text), close: () => closeSync(fd) };
  }

  /** Moves the finished folder into place, replacing earlier results. */
  commit(): void {
    const old = `${this.tmp.slice(0, -4)}.old`;
    // Results of other commands kept inside this folder (compare/, plan/, sweep/ beside a
    // run's files) are carried over unless the new results have a folder of that name.
    if (existsSync(this.target)) {
      for (const d of readdirSync(this.target, { withFileTypes: true })) {
        if (d.isDirectory() && !d.name.startsWith('.') && !existsSync(join(this.tmp, d.name))) renameSync(join(this.target, d.name), join(this.tmp, d.name));
      }
    }
    let moved = false;
    try {
      renameSync(this.target, old);
      moved = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    renameSync(this.tmp, this.target);
    this.done = true;
    this.forget();
    if (moved) rmSync(old, { recursive: true, force: true });
    this.lock.release();
  }

  /** Throws the unfinished folder away and lets the lock go (safe to call after commit). */
  abandon(): void {
    if (!this.done) rmSync(this.tmp, { recursive: true, force: true });
    this.forget();
    this.lock.release();
  }
}

/** Removes hidden folders left by runs whose process is gone (their locks are taken over when next wanted). */
function clearStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    const m = /^\.dynosim-.*-(\d+)\.(tmp|old)$/.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !alive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One file written atomically: into a hidden file beside it, renamed into place when complete. */
export class AtomicFile {
  readonly target: string;
  private readonly tmp: string;
  private readonly fd: number;
  private done = false;
  private readonly lock: OutputLock;
  private readonly forget: () => void;

  constructor(target: string) {
    this.target = resolve(target);
    const parent = dirname(this.target);
    this.lock = new OutputLock(this.target);
    this.tmp = join(parent, `.dynosim-${basename(this.target)}-${process.pid}.tmp`);
    this.forget = onInterrupt(() => rmSync(this.tmp, { force: true }));
    try {
      clearStale(parent);
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      this.forget();
      this.lock.release();
      throw e;
    }
  }

  write(text: string): void {
    writeSync(this.fd, text);
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.tmp, this.target);
    this.done = true;
    this.forget();
    this.lock.release();
  }

  abandon(): void {
    this.forget();
    this.lock.release();
    if (this.done) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}
