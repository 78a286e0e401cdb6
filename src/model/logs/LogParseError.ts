/**
 * The one error a log parser throws. Its message is the reason alone, on one line, so a
 * caller reading a file can prefix the file name and line number and print it as is.
 */
export class LogParseError extends Error {
  /** What is wrong with the text, in one line (also the message). */
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'LogParseError';
    this.reason = reason;
  }
}

/** `text` quoted for an error message, cut to `max` characters so one bad line stays one line. */
export function quoteForError(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
