/**
 * What resolving asks of its caller: the calendar, and the reading and compiling it does
 * not do itself, so that resolving does no I/O.
 */
import type { Calendar } from '../../model/traffic/calendar.ts';
import type { SampleReader } from './services.ts';
import type { ExpressionCompiler } from './rates.ts';

export interface ResolveIo {
  readSamples: SampleReader;
  compileRate: ExpressionCompiler;
  calendar: Calendar;
  /** A replay file: absolute path, and the instant of its first request in place (or a one-line problem). */
  probeReplay: (file: string, format: 'auto' | 'router' | 'csv', reorderWindowUs: number) => { path: string; firstArrivalMs: number } | string;
}
