/**
 * Deterministic identifiers for log lines: request ids, dyno UUIDs, the app id and client
 * addresses. Each is a pure hash of (seed, index), so ids cost no draw from any random
 * stream (logging on or off never shifts the simulation) and the same run always prints
 * the same ids.
 *
 * The hash is MurmurHash3's 32-bit block mixing and finaliser over the words
 * (seed low, seed high, lane, index high, index low). Every step is a bijection of the
 * last word, so for a fixed seed the first 32 bits of a request id are distinct for all
 * indices below 2^32: ids of one run never collide.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const TWO_32 = 4_294_967_296;

/** Kinds of id, so a request and a dyno with the same index get unrelated ids. */
const TAG_REQUEST = 0x52455131;
const TAG_DYNO = 0x44594e4f;
const TAG_APP = 0x41505031;
const TAG_FWD = 0x46574431;
const TAG_SAMPLE = 0x534d504c;
const TAG_BYTES = 0x42595445;
const TAG_JOB = 0x4a4f4253;

function mixIn(h: number, word: number): number {
  let k = Math.imul(word, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A 32-bit unsigned hash of (tag, seed, index, lane); seed and index are integers. */
function hash(tag: number, seed: number, index: number, lane: number): number {
  let h = tag;
  h = mixIn(h, seed >>> 0);
  h = mixIn(h, Math.floor(seed / TWO_32) | 0);
  h = mixIn(h, lane);
  h = mixIn(h, Math.floor(index / TWO_32) | 0);
  h = mixIn(h, index >>> 0);
  h ^= 20;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Hex digits of bytes `from` to `to` (exclusive, 0 = most significant) of a 32-bit word. */
function hex(word: number, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += HEX2[(word >>> (24 - 8 * k)) & 255]!;
  return s;
}

/** A UUID v4 shaped string (version nibble 4, variant 8-b) from four hash words. */
function uuid(tag: number, seed: number, index: number): string {
  const a = hash(tag, seed, index, 0);
  const b = ((hash(tag, seed, index, 1) & 0xffff0fff) | 0x00004000) >>> 0;
  const c = ((hash(tag, seed, index, 2) & 0x3fffffff) | 0x80000000) >>> 0;
  const d = hash(tag, seed, index, 3);
  return `${hex(a, 0, 4)}-${hex(b, 0, 2)}-${hex(b, 2, 4)}-${hex(c, 0, 2)}-${hex(c, 2, 4)}${hex(d, 0, 4)}`;
}

/**
 * The router's `request_id` of request `index` (0, 1, 2 … in arrival order), shaped like
 * Heroku's: a lowercase UUID v4 such as `8601b555-6a83-4c12-8269-97c8e32cdb22`.
 */
export function requestId(seed: number, index: number): string {
  return uuid(TAG_REQUEST, seed, index);
}

/**
 * The UUID of one dyno incarnation, as in runtime metrics' `dyno=heroku.<app id>.<uuid>`:
 * a restarted dyno is a new container with a new UUID, so pass a count that grows with
 * every start.
 */
export function dynoUuid(seed: number, incarnation: number): string {
  return uuid(TAG_DYNO, seed, incarnation);
}

/** A uniform number in [0, 1) for request `index`, deciding whether its router line is logged (no random stream is touched). */
export function logSampleUnit(seed: number, index: number): number {
  return hash(TAG_SAMPLE, seed, index, 0) / TWO_32;
}

/**
 * A uniform number in [0, 1) deciding whether request `index` enqueues its class's job
 * `lane`: a hash, so that a request routed again (after its dyno died) decides the same.
 */
export function jobUnit(seed: number, index: number, lane: number): number {
  return hash(TAG_JOB, seed, index, lane) / TWO_32;
}

/** The response size in the router's `bytes=` of a served request: 512 to 16 895 bytes. */
export function responseBytes(seed: number, index: number): number {
  return 512 + (hash(TAG_BYTES, seed, index, 0) % 16_384);
}

/** The app's numeric id in runtime metrics' `dyno=heroku.<app id>.<uuid>`: seven digits. */
export function appId(seed: number): string {
  return String(1_000_000 + (hash(TAG_APP, seed, 0, 0) % 9_000_000));
}

function isPlausibleClient(a: number, b: number, c: number, d: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast and reserved
  if (a === 169 && b === 254) return false; // link-local
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return d !== 0 && d !== 255;
}

/**
 * The client address in the router's `fwd="…"` for request `index`: a public IPv4
 * address, never in 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16,
 * the documentation and benchmarking ranges, or 224/3, and never ending in .0 or .255.
 */
export function fwdAddress(seed: number, index: number): string {
  for (let lane = 0; ; lane++) {
    const w = hash(TAG_FWD, seed, index, lane);
    const a = w >>> 24;
    const b = (w >>> 16) & 255;
    const c = (w >>> 8) & 255;
    const d = w & 255;
    if (isPlausibleClient(a, b, c, d)) return `${a}.${b}.${c}.${d}`;
  }
}
