/**
 * Results are written atomically: into a hidden folder beside the target, renamed into
 * place only when every file is complete. A run that fails leaves earlier results as
 * they were; a run that is killed leaves only a hidden `.dynosim-*` folder, which the
 * next run into the same parent clears away.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class OutputDir {
  readonly target: string;
  readonly tmp: string;
  private done = false;

  constructor(target: string) {
    this.target = resolve(target);
    const parent = dirname(this.target);
    mkdirSync(parent, { recursive: true });
    clearStale(parent);
    this.tmp = join(parent, `.dynosim-${basename(this.target)}-${process.pid}.tmp`);
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp);
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
    if (moved) rmSync(old, { recursive: true, force: true });
    this.done = true;
  }

  /** Throws the unfinished folder away (safe to call after commit). */
  abandon(): void {
    if (!this.done) rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Removes hidden folders left by runs whose process is gone. */
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

  constructor(target: string) {
    this.target = resolve(target);
    const parent = dirname(this.target);
    clearStale(parent);
    this.tmp = join(parent, `.dynosim-${basename(this.target)}-${process.pid}.tmp`);
    this.fd = openSync(this.tmp, 'w');
  }

  write(text: string): void {
    writeSync(this.fd, text);
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.tmp, this.target);
    this.done = true;
  }

  abandon(): void {
    if (this.done) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}
