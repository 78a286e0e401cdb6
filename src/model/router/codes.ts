/**
 * The router's answers that are not a response, as the flows, the dynos and the time series
 * count them: each error code an index into SERIES_CODES (the time series' columns), plus
 * the marks the router's contract with the dyno manager uses (see RouterGate). The codes'
 * names and titles are Heroku's (model/logs/codes.ts).
 */

/** Router error codes dynosim produces, each with a column in the time series, in column order. */
export const SERIES_CODES = ['H10', 'H11', 'H12', 'H13', 'H14', 'H19', 'H20', 'H21', 'H99', 'H82'] as const;
export type SeriesCode = (typeof SERIES_CODES)[number];

export const H10 = SERIES_CODES.indexOf('H10');
export const H11 = SERIES_CODES.indexOf('H11');
export const H12 = SERIES_CODES.indexOf('H12');
export const H13 = SERIES_CODES.indexOf('H13');
export const H14 = SERIES_CODES.indexOf('H14');
export const H19 = SERIES_CODES.indexOf('H19');
export const H20 = SERIES_CODES.indexOf('H20');
export const H21 = SERIES_CODES.indexOf('H21');
export const H99 = SERIES_CODES.indexOf('H99');
export const H82 = SERIES_CODES.indexOf('H82');
/** Codes with a column in timeseries.csv only when the run can produce them (H82: Eco dynos). */
export const ECO_ONLY_CODES: readonly SeriesCode[] = ['H82'];
/** `RequestLogSink.amend` code for a record superseded by a new one. */
export const DROPPED = -2;
/** Marks a `RouterGate.noDyno` answer that holds the request (the code is what it gets if the hold runs out). */
export const HOLD = 256;
