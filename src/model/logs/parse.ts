/**
 * Heroku log lines read back: `heroku logs` lines and drain frames into their parts,
 * `key=value` messages into fields, and router messages into RouterLogRecords. It is the
 * inverse of format.ts for dynosim's own output, and lenient enough for real lines
 * (second-precision or offset timestamps, quoted or bare values, fields Heroku added
 * later such as tls_version). What it cannot read, it rejects with a LogParseError that
 * says why in one line.
 */
import { ROUTER_CODES, isRouterCode } from './codes.ts';
import { utf8Length, type LogSource, type RouterLogRecord } from './format.ts';
import { LogParseError, quoteForError } from './LogParseError.ts';
import { parseLogTime } from './timestamp.ts';

export { LogParseError } from './LogParseError.ts';

/** A log line split into its parts; `message` is everything after `source[proc]: `. */
export interface ParsedLogLine {
  /** epoch µs */
  readonly epochUs: number;
  readonly source: LogSource;
  readonly proc: string;
  readonly message: string;
}

const PLAIN_RE = /^(\S+) ([^\s[\]]+)\[([^\s[\]]+)\]:(?: ([^]*))?$/;
const DRAIN_START_RE = /^\d+ </;
const DRAIN_RE = /^(\d+) <(\d{1,3})>(\d+) (\S+) (\S+) (\S+) (\S+) (\S+)(?: ([^]*))?$/;

function source(text: string): LogSource {
  if (text === 'heroku' || text === 'app') return text;
  throw new LogParseError(`unknown source ${quoteForError(text)} (expected heroku or app)`);
}

/**
 * Splits a log line: either `heroku logs` output
 * (`2013-03-01T00:00:01.000123+00:00 heroku[router]: at=info …`) or one drain frame
 * (`N <158>1 2013-03-01T00:00:01.000123+00:00 host heroku router - at=info …`). A trailing
 * `\n` or `\r\n` is ignored. Drain frames are accepted in the shape of today's HTTPS
 * drains (HOSTNAME `host`), of syslog drains (HOSTNAME the drain token `d.…`, followed by
 * a `-` for empty structured data) and of the 2012-13 Labs HTTPS drains
 * (`heroku web.3 d.… - message`). The octet count must equal the frame's UTF-8 length
 * with its newline (as Logplex counts) or without it.
 * @throws LogParseError naming what is wrong.
 */
export function parseLogLine(line: string): ParsedLogLine {
  const text = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
  if (DRAIN_START_RE.test(text)) return parseDrainFrame(text);
  const m = PLAIN_RE.exec(text);
  if (m === null) {
    throw new LogParseError(
      `expected "<timestamp> <source>[<process>]: <message>" or a drain frame "<length> <<priority>>1 …", got ${quoteForError(text)}`,
    );
  }
  return { epochUs: parseLogTime(m[1]!), source: source(m[2]!), proc: m[3]!, message: m[4] ?? '' };
}

function parseDrainFrame(text: string): ParsedLogLine {
  const m = DRAIN_RE.exec(text);
  if (m === null) {
    throw new LogParseError(
      `expected a drain frame "<length> <<priority>>1 <timestamp> <host> <source> <process> - <message>", got ${quoteForError(text)}`,
    );
  }
  const count = Number(m[1]);
  const bytes = utf8Length(text) - m[1]!.length - 1;
  if (count !== bytes + 1 && count !== bytes) {
    throw new LogParseError(`octet count ${count} does not match the frame's ${bytes} bytes (${bytes + 1} with its newline)`);
  }
  const priority = Number(m[2]);
  if (priority > 191) throw new LogParseError(`syslog priority <${priority}> out of range (0 to 191)`);
  if (m[3] !== '1') throw new LogParseError(`syslog version ${m[3]} is not 1`);
  const epochUs = parseLogTime(m[4]!);
  const host = m[5]!;
  let message = m[9] ?? '';
  // 2012-13 Labs HTTPS drains: "heroku web.3 d.<token> - message".
  if ((host === 'heroku' || host === 'app') && m[7]!.startsWith('d.')) {
    return { epochUs, source: host, proc: m[6]!, message };
  }
  // Syslog drains write RFC 5424's "-" for empty structured data; HTTPS drains leave it out.
  if (host.startsWith('d.') && (message === '-' || message.startsWith('- '))) message = message.slice(2);
  return { epochUs, source: source(m[6]!), proc: m[7]!, message };
}

/**
 * The `key=value` and `key="quoted value"` pairs of a message, in a record without a
 * prototype. Empty values (`dyno=`) are kept as `''`; words without `=` are skipped; a
 * repeated key keeps its last value. A quoted value ends at the first `"` followed by a
 * space or the end of the message, so it may hold spaces (`fwd="1.2.3.4, 5.6.7.8"`).
 * @throws LogParseError for a quoted value that is never closed.
 */
export function parseFields(message: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const n = message.length;
  let i = 0;
  while (i < n) {
    while (i < n && message[i] === ' ') i++;
    if (i >= n) break;
    const start = i;
    while (i < n && message[i] !== ' ' && message[i] !== '=') i++;
    if (i >= n || message[i] === ' ' || i === start) {
      while (i < n && message[i] !== ' ') i++; // a bare word, or "=x": not a field
      continue;
    }
    const key = message.slice(start, i);
    i++; // past "="
    if (message[i] === '"') {
      let close = message.indexOf('"', i + 1);
      while (close >= 0 && close + 1 < n && message[close + 1] !== ' ') close = message.indexOf('"', close + 1);
      if (close < 0) throw new LogParseError(`unterminated quoted value for ${key}=`);
      out[key] = message.slice(i + 1, close);
      i = close + 1;
    } else {
      const end = message.indexOf(' ', i);
      const stop = end < 0 ? n : end;
      out[key] = message.slice(i, stop);
      i = stop;
    }
  }
  return out;
}

const MS_RE = /^(\d+)(?:ms)?$/;
const INT_RE = /^\d+$/;

/**
 * A router line back as a RouterLogRecord, for lines of both eras: numbers in ms come
 * back as numbers, empty values as null, an absent `request_id`/`protocol` as `''`.
 * `queue`, `waitMs` and `sock` are present exactly when the line has those fields.
 * Fields dynosim does not model (`tls_version`, `desc`, …) are ignored.
 * @throws LogParseError when the line is not from the router, lacks a field, holds a
 * malformed number, or carries a code dynosim does not model (H15, H80 …).
 */
export function parseRouterLine(parsed: ParsedLogLine, opts: { anyCode?: boolean } = {}): RouterLogRecord {
  if (parsed.source !== 'heroku' || parsed.proc !== 'router') {
    throw new LogParseError(`not a router line: it comes from ${parsed.source}[${parsed.proc}]`);
  }
  const f = parseFields(parsed.message);
  const at = f['at'];
  if (at === undefined) {
    throw new LogParseError('router line has no at= field (the router format before late 2012 is not read)');
  }
  if (at !== 'info' && at !== 'error') throw new LogParseError(`router line has at=${at}, expected info or error`);
  const codeText = f['code'];
  let code: RouterLogRecord['code'] = null;
  if (codeText !== undefined) {
    if (!isRouterCode(codeText) && !(opts.anyCode === true && /^H\d\d$/.test(codeText))) {
      throw new LogParseError(`router code ${quoteForError(codeText)} is not one dynosim models (${ROUTER_CODES.join(', ')})`);
    }
    if (at === 'info') throw new LogParseError(`router line has at=info with code=${codeText}`);
    code = codeText as RouterLogRecord['code'];
  } else if (at === 'error') {
    throw new LogParseError('router line has at=error but no code=');
  }
  const need = (key: string): string => {
    const v = f[key];
    if (v === undefined) throw new LogParseError(`router line has no ${key}= field`);
    return v;
  };
  const millis = (key: string): number | null => {
    const v = f[key];
    if (v === undefined || v === '') return null;
    const m = MS_RE.exec(v);
    if (m === null) throw new LogParseError(`${key}= expects whole milliseconds like 12ms, got ${quoteForError(v)}`);
    return Number(m[1]);
  };
  const integer = (key: string, v: string | undefined): number | null => {
    if (v === undefined || v === '') return null;
    if (!INT_RE.test(v)) throw new LogParseError(`${key}= expects a whole number, got ${quoteForError(v)}`);
    return Number(v);
  };
  const statusText = need('status');
  const status = integer('status', statusText);
  if (status === null) throw new LogParseError('router line has an empty status=');
  const sock = f['sock'];
  if (sock !== undefined && sock !== 'backend' && sock !== 'client') {
    throw new LogParseError(`sock= expects backend or client, got ${quoteForError(sock)}`);
  }
  const dyno = f['dyno'];
  return {
    epochUs: parsed.epochUs,
    method: need('method'),
    path: need('path'),
    host: need('host'),
    requestId: f['request_id'] ?? '',
    fwd: f['fwd'] ?? '',
    dyno: dyno === undefined || dyno === '' ? null : dyno,
    connectMs: millis('connect'),
    serviceMs: millis('service'),
    status,
    bytes: integer('bytes', f['bytes']),
    protocol: f['protocol'] ?? '',
    code,
    ...('queue' in f ? { queue: millis('queue') } : {}),
    ...('wait' in f ? { waitMs: millis('wait') } : {}),
    ...(sock !== undefined ? { sock } : {}),
  };
}
