/**
 * The lines of a file, read synchronously in chunks into one reused Buffer, so a log of
 * any size is read in constant memory. Each chunk is decoded up to its last newline in one
 * go (a newline byte never occurs inside a UTF-8 sequence, so characters split across
 * chunks are never cut); the bytes after it wait at the front of the buffer for the next
 * read. Lines end at `\n` or `\r\n`; a last line without a newline is still a line; a
 * UTF-8 byte order mark before the first line is dropped.
 *
 * A line longer than `maxLineBytes` ends the reading with a FileLimitError: the buffer
 * never holds more than one longest line and its newline, so a file without line breaks
 * (/dev/zero, a binary) is refused after one read, in bounded time and memory.
 */
import { readSync } from 'node:fs';
import { lineTooLong, MAX_LINE_BYTES } from '../../../engine/files.ts';

export interface LineReaderOptions {
  /** Bytes read at a time at most (default 128 KiB, and never more than a longest line and its newline); tests use tiny ones. */
  readonly chunkBytes?: number;
  /** The longest line allowed, in bytes before its `\n` (default MAX_LINE_BYTES, 64 KiB). */
  readonly maxLineBytes?: number;
}

export const DEFAULT_CHUNK_BYTES = 128 * 1024;

export class LineReader {
  /** 1-based number of the line last returned by {@link next} (empty lines count). */
  lineNumber = 0;

  private readonly fd: number;
  private readonly maxLineBytes: number;
  /** The largest the buffer grows: a longest line and its `\n`. */
  private readonly capacity: number;
  private buf: Buffer;
  /** Bytes at the start of `buf` that belong to a line not yet complete. */
  private carry = 0;
  /** Where the next read starts in the file. */
  private position: number;
  private eof = false;
  /** Complete lines decoded from the last chunk, always ending with `\n`. */
  private text = '';
  private textPos = 0;

  /** Reads `fd` from byte `position` on; the caller opens and closes the file. */
  constructor(fd: number, options: LineReaderOptions = {}, position = 0) {
    this.fd = fd;
    this.maxLineBytes = Math.max(1, options.maxLineBytes ?? MAX_LINE_BYTES);
    this.capacity = this.maxLineBytes + 1;
    this.buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, this.capacity)));
    this.position = position;
  }

  /**
   * The next line without its line break, or null at the end of the file.
   * @throws FileLimitError `line N is longer than M bytes` (the caller names the file).
   */
  next(): string | null {
    while (this.textPos >= this.text.length) {
      if (!this.refill()) return null;
    }
    const start = this.textPos;
    const nl = this.text.indexOf('\n', start);
    let end = nl;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    this.textPos = nl + 1;
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
    for (;;) {
      if (this.eof) {
        if (this.carry === 0) return false;
        if (this.carry > this.maxLineBytes) throw lineTooLong(this.lineNumber + 1, this.maxLineBytes);
        this.text = this.buf.toString('utf8', 0, this.carry) + '\n';
        this.carry = 0;
        return true;
      }
      if (this.carry === this.buf.length) {
        // The buffer holds the start of one line and no newline.
        if (this.buf.length >= this.capacity) throw lineTooLong(this.lineNumber + 1, this.maxLineBytes);
        const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, this.capacity));
        this.buf.copy(bigger, 0, 0, this.carry);
        this.buf = bigger;
      }
      const n = readSync(this.fd, this.buf, this.carry, this.buf.length - this.carry, this.position);
      if (n === 0) {
        this.eof = true;
        continue;
      }
      this.position += n;
      const end = this.carry + n;
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
