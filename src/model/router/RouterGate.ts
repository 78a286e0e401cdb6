/** What the router asks of the dyno manager (codes as in ./codes.ts). */
export interface RouterGate {
  /** For a request no dyno can take now: an error code index (H10, H14), or HOLD | code (H20, H99). */
  noDyno(): number;
  /** Block `b` failed a connection at `nowUs`: the router skips it for a while. */
  quarantine(b: number, nowUs: number): void;
  /** Web dynos in the formation now (connection attempts are capped by it). */
  webDynos(): number;
}
