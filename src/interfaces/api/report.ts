/**
 * What a job writes: its files, into a sink (the command's results folder, which writes
 * them atomically, or any other), and its charts and report.html beside them.
 */
import { basename } from 'node:path';
import type { Chart, ReportPage } from '../../output/charts/chart.ts';
import type { ScenarioSource } from '../../output/charts/pages.ts';
import { writeReport } from '../../output/charts/output.ts';
import { readTextFile } from '../../engine/files.ts';
import { SCENARIO_FILE_LIMITS } from '../../scenario/load.ts';

/** Where a job's files go; `name` may name a subfolder (`charts/latency.svg`). */
export interface FileSink {
  write(name: string, content: string | Uint8Array): void;
}

/** A sink that also takes a file piece by piece (a run's series, too long to hold in memory). */
export interface StreamSink extends FileSink {
  open(name: string): { write(text: string): void; close(): void };
}

/** The report a job writes beside its files. */
export interface ReportRequest {
  /** Charts and report.html (default true); false: the files only. */
  readonly charts?: boolean;
  /** PNGs beside the SVGs (default true). */
  readonly png?: boolean;
  /** Also report-interactive.html, the charts drawn live with the libraries inline (default false). */
  readonly interactive?: boolean;
  /** The command the report's last line says makes it again. */
  readonly command: string;
  /** The scenario the report ends with. */
  readonly source?: ScenarioSource;
}

/** What a job wrote, for the command's "wrote …" line: its files, then the report's (none without charts). */
export interface Written {
  readonly files: readonly string[];
  readonly report: readonly string[];
}

/** The scenario files as the report shows them: each file's text, headed by its name when there are several. */
export function scenarioSource(files: readonly string[], set: readonly string[]): ScenarioSource {
  const unique = [...new Set(files)];
  const read = (f: string): string => readTextFile(f, SCENARIO_FILE_LIMITS);
  const text = unique.length === 1 ? read(unique[0]!) : unique.map((f) => `# ---- ${basename(f)} ----\n${read(f)}`).join('\n');
  return { file: unique.map((f) => basename(f)).join(', '), text, set };
}

/** The charts and report.html, unless the request says no charts; the names written. */
export async function reportFiles(sink: FileSink, request: ReportRequest, charts: () => readonly Chart[], page: (charts: readonly Chart[]) => ReportPage): Promise<string[]> {
  if (request.charts === false) return [];
  const drawn = charts();
  return writeReport(sink, drawn, page(drawn), { png: request.png, interactive: request.interactive });
}
