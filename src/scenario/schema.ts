/**
 * The scenario file format: the single source of its TypeScript types, its validation
 * and the JSON Schema that `dynosim schema` exports for editors. A scenario is data;
 * `resolve.ts` turns a parsed one into the frozen value a run is built from.
 *
 * The schema is written in parts, one per part of the file, in schema/: the fields with
 * units (fields.ts), service-time distributions, the formation, traffic, jobs and the
 * scheduler, scripted events, scaling, platform overrides, and the file as a whole
 * (scenario.ts). This file is where the rest of dynosim takes them from.
 */
export { SERVICE_DISTRIBUTIONS, serviceSchema, type ServiceSpec } from './schema/service.ts';
export { WEEKDAYS, type ScalingSpec } from './schema/scaling.ts';
export { EVENT_KINDS, when, type When, type EventSpec } from './schema/events.ts';
export { scenarioSchema, scenarioJsonSchema, type ScenarioInput, type ScenarioFile } from './schema/scenario.ts';
