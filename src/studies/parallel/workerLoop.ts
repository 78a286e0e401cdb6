/**
 * The loop of a task runner's worker thread: takes one task at a time, loads its scenario
 * itself, runs it and sends the Outcome (plain JSON) back, or the error as plain data.
 */
import { parentPort } from 'node:worker_threads';
import { runTask } from './runTasks.ts';
import { errorToWire, type ResultMessage, type TaskMessage } from './wire.ts';

const port = parentPort;
if (port === null) throw new Error('src/studies/parallel/workerLoop.ts runs in a worker thread of runTasks');

port.on('message', (m: TaskMessage) => {
  runTask(m.task).then(
    (outcome) => port.postMessage({ index: m.index, ok: true, outcome } satisfies ResultMessage),
    (e: unknown) => port.postMessage({ index: m.index, ok: false, error: errorToWire(e) } satisfies ResultMessage),
  );
});
