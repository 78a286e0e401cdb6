/**
 * The lines of a file, read synchronously in chunks into one reused Buffer, so a log of
 * any size is read in constant memory. Each chunk is decoded up to its last newline in one
 * go (a newline byte never occurs inside a UTF-8 sequence, so characters split across
 * chunks are never cut); the bytes after it wait at the front of the buffer for the next
 * read. Lines end at `\n` or `\r\n`; a last line without a newline is still a line; a
 * UTF-8 byte order mark before the first line is dropped.
 */
import { readSync } from 'node:fs';

export interface LineReaderOptions {
  /** Bytes read at a time (default 128 KiB); the buffer grows while one line is longer. */
  readonly chunkBytes?: number;
  /** A line of this many bytes or more is cut to it and the rest of it skipped (default 1 MiB). */
  readonly maxLineBytes?: number;
}

export const DEFAULT_CHUNK_BYTES = 128 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export class LineReader {
  /** 1-based number of the line last returned by {@link next} (empty lines count). */
  lineNumber = 0;
  /** Whether the line last returned reached `maxLineBytes` and has been cut there. */
  truncated = false;

  private readonly fd: number;
  private readonly maxLineBytes: number;
  private buf: Buffer;
  /** Bytes at the start of `buf` that belong to a line not yet complete. */
  private carry = 0;
  /** Where the next read starts in the file. */
  private position: number;
  private eof = false;
  /** Discarding the rest of a line that was too long, up to its newline. */
  private skipping = false;
  /** Complete lines decoded from the last chunk, always ending with `\n`. */
  private text = '';
  private textPos = 0;
  private textTruncated = false;

  /** Reads `fd` from byte `position` on; the caller opens and closes the file. */
  constructor(fd: number, options: LineReaderOptions = {}, position = 0) {
    this.fd = fd;
    this.maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, this.maxLineBytes)));
    this.position = position;
  }

  /** The next line without its line break, or null at the end of the file. */
  next(): string | null {
    while (this.textPos >= this.text.length) {
      if (!this.refill()) return null;
    }
    const start = this.textPos;
    const nl = this.text.indexOf('\n', start);
    let end = nl;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    this.textPos = nl + 1;
    this.truncated = this.textTruncated;
    this.lineNumber++;
    if (this.lineNumber === 1 && this.text.charCodeAt(start) === 0xfeff) {
      return this.text.slice(start + 1, end);
    }
    return this.text.slice(start, end);
  }

  /** Decodes the next complete lines into `text`; false at the end of the file. */
  private refill(): boolean {
    this.text = '';
    this.textPos = 0;
    this.textTruncated = false;
    for (;;) {
      if (this.eof) {
        if (this.carry === 0) return false;
        this.text = this.buf.toString('utf8', 0, this.carry) + '\n';
        this.carry = 0;
        return true;
      }
      if (this.carry === this.buf.length) {
        if (this.buf.length < this.maxLineBytes) {
          const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, this.maxLineBytes));
          this.buf.copy(bigger, 0, 0, this.carry);
          this.buf = bigger;
        } else {
          // One line fills the largest buffer allowed: hand out its start, skip the rest.
          this.text = this.buf.toString('utf8', 0, this.carry) + '\n';
          this.textTruncated = true;
          this.carry = 0;
          this.skipping = true;
          return true;
        }
      }
      const n = readSync(this.fd, this.buf, this.carry, this.buf.length - this.carry, this.position);
      if (n === 0) {
        this.eof = true;
        continue;
      }
      this.position += n;
      let end = this.carry + n;
      if (this.skipping) {
        // carry is 0 here: nothing of the long line is kept.
        const nl = this.buf.indexOf(10);
        if (nl < 0 || nl >= end) continue;
        this.skipping = false;
        this.buf.copyWithin(0, nl + 1, end);
        end -= nl + 1;
        this.carry = end;
        if (end === 0) continue;
      }
      const last = this.buf.lastIndexOf(10, end - 1);
      if (last < 0) {
        this.carry = end;
        continue;
      }
      this.text = this.buf.toString('utf8', 0, last + 1);
      this.buf.copyWithin(0, last + 1, end);
      this.carry = end - (last + 1);
      return true;
    }
  }
}
