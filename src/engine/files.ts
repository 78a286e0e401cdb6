/**
 * Reading a user's files within limits. Every file dynosim reads on a user's word has a
 * longest line and, when it is read whole into memory, a largest size; a file that breaks
 * one is refused with one line, after reading just past the limit, so that the wrong file
 * (a binary, /dev/zero, a file without line breaks) ends in bounded time and memory rather
 * than in an exhausted heap. The limits are named beside their readers (MAX_LINE_BYTES
 * here, for logs, CSVs and samples; the scenario, sample and shard files' sizes beside
 * their readers) and listed in docs/commands.md ("Files dynosim reads").
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from './InputError.ts';

export const KIB = 1024;
export const MIB = 1024 * KIB;

/** The longest line of a router log, a CSV of requests or a file of service-time samples, its line break not counted. */
export const MAX_LINE_BYTES = 64 * KIB;

export interface TextLimits {
  /** Bytes the whole file may hold. */
  readonly maxBytes: number;
  /** Bytes a line may hold before its `\n` (a `\r` before it counts). */
  readonly maxLineBytes: number;
}

/**
 * A file that breaks a limit. The message says how (`line 3 is longer than 65536 bytes`,
 * `is larger than 16 MiB`) and names no file: the reader puts the file's name first.
 */
export class FileLimitError extends InputError {
  override readonly name: string = 'FileLimitError';
}

/** A number of bytes as a person reads a limit: `16 MiB`, `64 KiB`, else the number. */
export function formatBytes(n: number): string {
  if (n >= MIB && n % MIB === 0) return `${n / MIB} MiB`;
  if (n >= KIB && n % KIB === 0) return `${n / KIB} KiB`;
  return `${n} bytes`;
}

/** The FileLimitError of a line over the limit. */
export function lineTooLong(line: number, maxLineBytes: number): FileLimitError {
  return new FileLimitError(`line ${line} is longer than ${maxLineBytes} bytes`);
}

/** Bytes read at a time by readTextFile. */
const CHUNK_BYTES = 1 * MIB;

/**
 * A whole file as UTF-8 text, read in chunks and checked as it comes: more than
 * `maxBytes` in all, or more than `maxLineBytes` in one line, and reading stops there.
 * Reads from the current position on, so pipes and devices work as files do.
 * @throws FileLimitError; the errors of node:fs as readFileSync throws them (ENOENT,
 * EISDIR, EACCES …).
 */
export function readTextFile(path: string, limits: TextLimits): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let line = 1;
    let lineBytes = 0;
    const size = Math.max(1, Math.min(CHUNK_BYTES, limits.maxBytes + 1));
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const n = readSync(fd, buf, 0, size, null);
      if (n === 0) break;
      total += n;
      if (total > limits.maxBytes) throw new FileLimitError(`is larger than ${formatBytes(limits.maxBytes)}`);
      for (let from = 0; ; ) {
        const nl = buf.indexOf(10, from);
        if (nl < 0 || nl >= n) {
          lineBytes += n - from;
          break;
        }
        lineBytes += nl - from;
        if (lineBytes > limits.maxLineBytes) throw lineTooLong(line, limits.maxLineBytes);
        line++;
        lineBytes = 0;
        from = nl + 1;
      }
      if (lineBytes > limits.maxLineBytes) throw lineTooLong(line, limits.maxLineBytes);
      chunks.push(n === size ? buf : buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
