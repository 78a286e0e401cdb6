/**
 * From a parsed scenario file to the frozen value a run is built from: the platform
 * profile merged with the scenario's overrides, sizes looked up, process types, queues,
 * request classes, one-off and scheduler tasks and scripted events resolved against one
 * another and the calendar, distributions and rates made ready. Every problem is gathered, with its
 * field path, before anything runs.
 *
 * The work is done in resolve/, a file per concern, resolve/scenario.ts calling the
 * others in order; this file is where the rest of dynosim takes it from.
 */
export { resolveScenario } from './resolve/scenario.ts';
export type { ResolveIo } from './resolve/io.ts';
export { calendarOf, whenUs } from './resolve/calendar.ts';
export { mergeProfile } from './resolve/profile.ts';
export { QUEUE_TIME_PRESETS } from './resolve/scaling.ts';
export type { SampleReader } from './resolve/services.ts';
export type { ExpressionCompiler } from './resolve/rates.ts';
