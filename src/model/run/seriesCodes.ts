/** The error codes a run's time series has a column for: every code, but H82 only where the app runs Eco dynos. */
import { ECO_ONLY_CODES, SERIES_CODES, type SeriesCode } from '../router/codes.ts';
import { runsEco } from '../dynos/EcoAccount.ts';
import type { Scenario } from '../Scenario.ts';

export function seriesCodes(s: Scenario): readonly SeriesCode[] {
  return runsEco(s) ? SERIES_CODES : SERIES_CODES.filter((c) => !ECO_ONLY_CODES.includes(c));
}
