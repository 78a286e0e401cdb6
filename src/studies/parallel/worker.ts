/**
 * A worker thread of the task runner. It turns on Node's on-disk compile cache before it
 * loads the simulator (Node's own cache, in the system's temporary folder, keyed by each
 * file's contents; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a worker then starts in
 * about half the time, which matters when a sweep's runs are short.
 */
import * as nodeModule from 'node:module';

nodeModule.enableCompileCache?.();
await import('./workerLoop.ts');
