/**
 * Heroku's log text, formatted: router lines of both eras, the frame of a line as
 * `heroku logs` prints it or as a log drain delivers it, the dyno manager's lifecycle
 * messages and log-runtime-metrics samples. Pure functions of their arguments: no I/O,
 * no clock. Every shape below was checked against real lines (Dev Center pages and logs
 * pasted in issues, gists and test fixtures); the sources are named where a choice was made.
 */
import { routerDesc, type RouterCode } from './codes.ts';
import { formatLogTime } from './timestamp.ts';

/** Which platform's router line to write. */
export type LogEra = 'heroku-2013' | 'heroku-2025';
/** `heroku` for platform components (router, dyno manager), `app` for the app's own output. */
export type LogSource = 'heroku' | 'app';
/** `plain`: as `heroku logs` prints; `drain`: as an HTTPS log drain receives it. */
export type LogFormat = 'plain' | 'drain';

/**
 * One router line as data. Absent values (the router never reached a dyno, or the
 * answer carried no body) are `null` and print as an empty `key=`, as Heroku prints them.
 */
export interface RouterLogRecord {
  /** When the router wrote the line (its outcome), epoch µs. Not part of the message. */
  readonly epochUs: number;
  readonly method: string;
  /** Path and query string, without spaces or double quotes. */
  readonly path: string;
  /** The request's Host header, e.g. `example-app.herokuapp.com`. */
  readonly host: string;
  /** `request_id`; `''` when the line has none (heroku-2013 lines never do). */
  readonly requestId: string;
  /** The X-Forwarded-For value: the client address(es), e.g. `"204.204.204.204"`. */
  readonly fwd: string;
  /** The dyno that served the request (`web.1`), or null when none was reached. */
  readonly dyno: string | null;
  /** Time to connect to the dyno, whole ms (fractions are dropped), or null. */
  readonly connectMs: number | null;
  /** Time from connection to the end of the answer (30000 for an H12), whole ms, or null. */
  readonly serviceMs: number | null;
  /** HTTP status sent to the client (503 for every H code dynosim emits). */
  readonly status: number;
  /** Bytes sent from the dyno to the client, or null when no dyno answered. */
  readonly bytes: number | null;
  /** `protocol` (`https`, `http`, `http1.1` …); `''` when absent (heroku-2013 lines never have it). */
  readonly protocol: string;
  /** The error code, or null for an `at=info` line. */
  readonly code: RouterCode | null;
  /**
   * heroku-2013 only: `queue=`, requests queued ahead of this one at the router. Heroku's
   * random-routing router printed 0 on every line that reached a dyno (the number that
   * hid per-dyno queueing in the 2013 dispute). When left out: 0 if a dyno was reached,
   * else empty.
   */
  readonly queue?: number | null;
  /** heroku-2013 only: `wait=`, ms waited in that router queue; defaults like `queue`. */
  readonly waitMs?: number | null;
  /** Which socket closed, on H13/H18 lines (`sock=backend` / `sock=client`). */
  readonly sock?: 'backend' | 'client' | null;
}

const ms = (v: number | null): string => (v === null ? '' : `${Math.floor(v)}ms`);

/**
 * The message of a router line (after `heroku[router]: `).
 *
 * `heroku-2025` is today's line (Dev Center "HTTP Routing", and real lines such as
 * `at=info method=GET path="/" host=… request_id=… fwd="…" dyno=web.1 connect=0ms
 * service=97ms status=200 bytes=140 protocol=https`); H18 lines start with `sock=backend`.
 *
 * `heroku-2013` is the line of the random-routing dispute, February-March 2013, as in
 * Dev Center's "How Heroku Works" of 2013-02-11 and real lines of 2013-02-17:
 * `at=info method=GET path=/ host=… fwd="…" dyno=web.1 queue=0 wait=0ms connect=0ms
 * service=1452ms status=200 bytes=5783`, and for errors before any dyno
 * `… dyno= queue= wait= connect= service= status=503 bytes=`. The path is unquoted, there
 * is no request_id (then an opt-in Labs feature) and no protocol, so `requestId` and
 * `protocol` are not written. `fwd` is quoted (Heroku's own 2012 example and the
 * 2013-02-17 lines; some routers of the time left a single address bare).
 */
export function routerMessage(r: RouterLogRecord, era: LogEra): string {
  const modern = era === 'heroku-2025';
  let s = modern && r.sock != null ? `sock=${r.sock} ` : '';
  s += r.code === null ? 'at=info' : `at=error code=${r.code} desc="${routerDesc(r.code, era)}"`;
  s += ` method=${r.method}`;
  s += modern || /[\s"]/.test(r.path) ? ` path="${r.path}"` : ` path=${r.path}`;
  s += ` host=${r.host}`;
  if (modern && r.requestId !== '') s += ` request_id=${r.requestId}`;
  s += ` fwd="${r.fwd}" dyno=${r.dyno ?? ''}`;
  if (!modern) {
    const fallback = r.dyno === null ? null : 0;
    const queue = r.queue === undefined ? fallback : r.queue;
    const wait = r.waitMs === undefined ? fallback : r.waitMs;
    s += ` queue=${queue === null ? '' : Math.floor(queue)} wait=${ms(wait)}`;
  }
  s += ` connect=${ms(r.connectMs)} service=${ms(r.serviceMs)} status=${r.status} bytes=${r.bytes ?? ''}`;
  if (modern && r.protocol !== '') s += ` protocol=${r.protocol}`;
  if (!modern && r.sock != null) s += ` sock=${r.sock}`;
  return s;
}

/**
 * The syslog priority Logplex gives a drained line: 158 (local3.info) for the router,
 * 190 (local7.info) for app output, 45 (syslog.notice) for the dyno manager and runtime
 * metrics. Seen in drain fixtures from 2013 to 2021 (`<158>1 … heroku router`,
 * `<190>1 … app web.1`, `<45>1 … heroku web.1 - State changed…`); runtime-metrics
 * samples drained since about 2023 show 134 (local0.info) instead.
 */
export function drainPriority(source: LogSource, proc: string): number {
  if (source === 'app') return 190;
  return proc === 'router' ? 158 : 45;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Bytes of `text` in UTF-8. */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * One log line, without its trailing newline.
 *
 * `plain` is `heroku logs` output: `2013-03-01T00:00:01.000123+00:00 heroku[router]: …`.
 *
 * `drain` is one frame of an HTTPS log drain's body (Dev Center "Log Drains", Logplex's
 * `application/logplex-1`): an RFC 5424 message without structured data, octet-counted
 * (RFC 6587): `N <158>1 2013-03-01T00:00:01.000123+00:00 host heroku router - …`. The
 * HOSTNAME field is the literal `host`, APP-NAME is the source, PROCID the process and
 * MSGID `-`. N counts the bytes after `N ` including the newline that ends the frame, as
 * Logplex counts them (`89 <45>1 2016-10-15T08:59:08.723822+00:00 host heroku web.1 -
 * State changed from up to down` is 88 bytes and a newline), so the lines joined with
 * `\n` and ended by one are a valid drain body.
 *
 * @param epochUs when the line was written, epoch µs.
 * @param proc the process: `router`, `web.1`, `api` ….
 * @param message one line of text (no newline).
 * @param _appName not written: neither shape carries the app's name (a drain's HOSTNAME
 * is `host`; syslog drains put the drain token there).
 * @throws RangeError when `message` holds a line break.
 */
export function logLine(
  epochUs: number,
  source: LogSource,
  proc: string,
  message: string,
  format: LogFormat,
  _appName?: string,
): string {
  if (message.includes('\n') || message.includes('\r')) {
    throw new RangeError(`a log message is one line; got a line break in ${JSON.stringify(message.slice(0, 60))}`);
  }
  const time = formatLogTime(epochUs);
  if (format === 'plain') return `${time} ${source}[${proc}]: ${message}`;
  const frame = `<${drainPriority(source, proc)}>1 ${time} host ${source} ${proc} - ${message}`;
  return `${utf8Length(frame) + 1} ${frame}`;
}

// ---------------------------------------------------------------------------------------
// Dyno manager lines (heroku[web.N]). Wording from Dev Center "Heroku Error Codes" and
// real logs: restarts and releases (2016-2023), daily cycling (2023), R10 (2021-2024),
// R12 (2013-11-30, 2021), R14/R15 (2013-10-17, 2022-2023).

/** Dyno states as the dyno manager names them in `State changed from … to …`. */
export type DynoState = 'created' | 'starting' | 'up' | 'crashed' | 'down' | 'idle' | 'complete';

/** `State changed from starting to up`. */
export function stateChanged(from: DynoState, to: DynoState): string {
  return `State changed from ${from} to ${to}`;
}

/** `Process exited with status 143` (143 after SIGTERM, 137 after SIGKILL). */
export function processExited(status: number): string {
  return `Process exited with status ${status}`;
}

/** The first line of a graceful stop (restart, cycling, scale down). */
export function stoppingAll(): string {
  return 'Stopping all processes with SIGTERM';
}

/** After R12: the processes that ignored SIGTERM are killed. */
export function stoppingSigkill(): string {
  return 'Stopping remaining processes with SIGKILL';
}

/** After R10 and R15, where the dyno is killed without a SIGTERM first. */
export function stoppingProcessSigkill(): string {
  return 'Stopping process with SIGKILL';
}

/** The daily restart; followed by `State changed from up to starting`. */
export function cycling(): string {
  return 'Cycling';
}

/** An Eco dyno going to sleep; followed by `State changed from up to down` and SIGTERM. */
export function idling(): string {
  return 'Idling';
}

/** A sleeping Eco dyno woken by a request; followed by `State changed from down to starting`. */
export function unidling(): string {
  return 'Unidling';
}

/** A restart by `heroku restart`, a release or a config change. */
export function restarting(): string {
  return 'Restarting';
}

/** `Starting process with command \`bundle exec puma\``. */
export function startingProcess(command: string): string {
  return `Starting process with command \`${command}\``;
}

/** R10: the web process did not bind `$PORT` within `timeoutS` seconds (60 by default). */
export function r10(timeoutS: number): string {
  return `Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${timeoutS} seconds of launch`;
}

/** R12: processes still running `graceS` seconds after SIGTERM (10 s in 2013, 30 s now). */
export function r12(graceS: number): string {
  return `Error R12 (Exit timeout) -> At least one process failed to exit within ${graceS} seconds of SIGTERM`;
}

/** R14, written right after {@link processRunningMem}. */
export function r14(): string {
  return 'Error R14 (Memory quota exceeded)';
}

/** R15, written right after {@link processRunningMem}; the dyno is then killed. */
export function r15(): string {
  return 'Error R15 (Memory quota vastly exceeded)';
}

/**
 * `Process running mem=528M(103.3%)`: memory in whole MB and as a percentage of the quota
 * with one decimal (real lines: `mem=516M(100.9%)`, `mem=1025M(200.2%)`; Dev Center's
 * example writes `528MB`, the platform writes `M`).
 */
export function processRunningMem(mb: number, pct: number): string {
  return `Process running mem=${Math.round(mb)}M(${pct.toFixed(1)}%)`;
}

// ---------------------------------------------------------------------------------------
// log-runtime-metrics samples, about every 20 s per dyno (Dev Center "log-runtime-metrics").

/** A memory sample of one dyno, MB and pages. */
export interface MemorySample {
  readonly totalMb: number;
  readonly rssMb: number;
  readonly cacheMb: number;
  readonly swapMb: number;
  /** Pages read from disk since the dyno started. */
  readonly pgpgin: number;
  /** Pages written to disk since the dyno started. */
  readonly pgpgout: number;
  /** The dyno size's memory quota; left out of the line when null (samples before 2016 had none). */
  readonly quotaMb?: number | null;
}

/**
 * `source=web.1 dyno=heroku.2808254.d97d0ea7-… sample#load_avg_1m=2.46
 * sample#load_avg_5m=1.06 sample#load_avg_15m=0.99`.
 * @param dynoId `heroku.<app id>.<dyno uuid>` (see ids.ts).
 */
export function loadMessage(source: string, dynoId: string, load1m: number, load5m: number, load15m: number): string {
  return (
    `source=${source} dyno=${dynoId} sample#load_avg_1m=${load1m.toFixed(2)}` +
    ` sample#load_avg_5m=${load5m.toFixed(2)} sample#load_avg_15m=${load15m.toFixed(2)}`
  );
}

/**
 * `source=web.1 dyno=heroku.… sample#memory_total=21.00MB sample#memory_rss=21.22MB
 * sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages
 * sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB`.
 */
export function memoryMessage(source: string, dynoId: string, m: MemorySample): string {
  let s =
    `source=${source} dyno=${dynoId} sample#memory_total=${m.totalMb.toFixed(2)}MB` +
    ` sample#memory_rss=${m.rssMb.toFixed(2)}MB sample#memory_cache=${m.cacheMb.toFixed(2)}MB` +
    ` sample#memory_swap=${m.swapMb.toFixed(2)}MB sample#memory_pgpgin=${Math.floor(m.pgpgin)}pages` +
    ` sample#memory_pgpgout=${Math.floor(m.pgpgout)}pages`;
  if (m.quotaMb != null) s += ` sample#memory_quota=${m.quotaMb.toFixed(2)}MB`;
  return s;
}
