/**
 * One request read back from a user's logs: when it reached the router, how long its dyno
 * took, and what it asked for. Shared by replay (`traffic.replay`) and `dynosim fit`.
 *
 * The router writes its line when the request's outcome is known, so the arrival is the
 * line's time less the connect and service times it reports (and less the 75 s hold of
 * an H20, which is logged when the hold runs out). Times in the line are whole
 * milliseconds, so arrivals come back to within a millisecond or two of the truth.
 */
import { parseLogLine, parseRouterLine } from '../../logs/parse.ts';
import { LogParseError } from '../../logs/LogParseError.ts';

export interface ReplayRecord {
  /** When the request reached the router, epoch µs. */
  readonly arrivalUs: number;
  /** What the dyno took (the router's service=), µs; null when no dyno answered (H10, H11, H14, H20 …). */
  readonly serviceUs: number | null;
  readonly method: string;
  /** Path as logged, query string included. */
  readonly path: string;
  /** Router error code (H12 …), or null for a response. */
  readonly code: string | null;
  readonly status: number;
  /** The dyno that served it (web.3), or null. */
  readonly dyno: string | null;
}

/** How far past its logged service= an H12's request is taken to run (µs): its true length is not in the log. */
export const H12_OVERRUN_US = 1000;

/** How long the router holds a request while dynos boot before it gives up with H20 (ms). */
export const H20_HOLD_MS = 75_000;

/**
 * Reads one router log line (`heroku logs` output or a drain frame, either era), with
 * any router error code (H27, H15 … as well as the ones dynosim models).
 * @throws LogParseError saying why the line cannot be used.
 */
export function recordFromLogLine(line: string): ReplayRecord {
  // Codes dynosim does not model (H27 client interrupted, H15 …) are still requests that arrived.
  const r = parseRouterLine(parseLogLine(line), { anyCode: true });
  const connectMs = r.connectMs ?? 0;
  const serviceMs = r.serviceMs ?? 0;
  const heldMs = r.code === 'H20' ? H20_HOLD_MS : 0;
  const answered = r.serviceMs !== null && r.dyno !== null;
  // An H12's service= is the timeout, not the request's length (the dyno went on with it):
  // it replays as a request that runs just past the timeout.
  const overrunUs = r.code === 'H12' ? H12_OVERRUN_US : 0;
  return {
    arrivalUs: r.epochUs - (connectMs + serviceMs + heldMs) * 1000,
    serviceUs: answered ? serviceMs * 1000 + overrunUs : null,
    method: r.method,
    path: r.path,
    code: r.code,
    status: r.status,
    dyno: r.dyno,
  };
}

const ID_SEGMENT = /^(?:\d+|[0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * A path with its query string dropped and identifiers (numbers, UUIDs, long hex) turned
 * into `:id`, so that `/orders/123?x=1` and `/orders/456` count as one route.
 */
export function normalizePath(path: string): string {
  const q = path.search(/[?#]/);
  const bare = q < 0 ? path : path.slice(0, q);
  const parts = bare.split('/').map((seg) => (ID_SEGMENT.test(seg) ? ':id' : seg));
  const out = parts.join('/');
  return out === '' ? '/' : out;
}

/** The route a request counts under: `GET /orders/:id`. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${normalizePath(path)}`;
}

export { LogParseError };
