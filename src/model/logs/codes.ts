/**
 * The Heroku error codes dynosim emits, with Heroku's own names for them. A code is what
 * users grep their logs for and what alerting add-ons count, so the names are Heroku's
 * (Dev Center, "Heroku Error Codes"), never paraphrased.
 */

/** Router codes dynosim emits, in Heroku's numbering order. */
export const ROUTER_CODES = ['H10', 'H11', 'H12', 'H13', 'H14', 'H18', 'H19', 'H20', 'H21', 'H82', 'H99'] as const;
export type RouterCode = (typeof ROUTER_CODES)[number];

/** Runtime (dyno manager) codes dynosim emits. */
export const RUNTIME_CODES = ['R10', 'R12', 'R14', 'R15'] as const;
export type RuntimeCode = (typeof RUNTIME_CODES)[number];

export type ErrorCode = RouterCode | RuntimeCode;

const TITLES: { readonly [C in ErrorCode]: string } = {
  H10: 'App crashed',
  H11: 'Backlog too deep',
  H12: 'Request timeout',
  H13: 'Connection closed without response',
  H14: 'No web dynos running',
  H18: 'Server Request Interrupted',
  H19: 'Backend connection timeout',
  H20: 'App boot timeout',
  H21: 'Backend connection refused',
  H82: "You've used up your dyno hour pool",
  H99: 'Platform error',
  R10: 'Boot timeout',
  R12: 'Exit timeout',
  R14: 'Memory quota exceeded',
  R15: 'Memory quota vastly exceeded',
};

/** Heroku's name for a code, as the Dev Center error-code list titles it ("H12" → "Request timeout"). */
export function describe(code: ErrorCode): string {
  return TITLES[code];
}

/**
 * The `desc="…"` text the router writes for a code. It is the title except for H14,
 * whose log lines have always said "No web processes running" (Dev Center example and
 * real lines from 2013 to 2022), and H18 before 2014, logged as "Request Interrupted".
 */
export function routerDesc(code: RouterCode, era: 'heroku-2013' | 'heroku-2025'): string {
  if (code === 'H14') return 'No web processes running';
  if (code === 'H18' && era === 'heroku-2013') return 'Request Interrupted';
  return TITLES[code];
}

/**
 * Codes the router raises before it reaches any dyno: their lines carry empty
 * `dyno= connect= service=` and `bytes=` (H19 and H21 also do when every attempt failed
 * before a connection; Heroku's own H19/H21 examples show the last dyno tried instead).
 */
export const CODES_BEFORE_DYNO: readonly RouterCode[] = ['H10', 'H11', 'H14', 'H20', 'H82', 'H99'];

/** Whether `text` is one of the router codes dynosim emits. */
export function isRouterCode(text: string): text is RouterCode {
  return (ROUTER_CODES as readonly string[]).includes(text);
}
